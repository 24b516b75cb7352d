from core.manifest import AddonManifest

MANIFEST = AddonManifest(name="cycle_b", version="1.0.0", summary="Test: a cycle", depends=("cycle_a",))
