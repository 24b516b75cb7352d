from core.manifest import AddonManifest

MANIFEST = AddonManifest(name="cycle_a", version="1.0.0", summary="Test: a cycle", depends=("cycle_b",))
