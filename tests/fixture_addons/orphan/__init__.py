from core.manifest import AddonManifest

MANIFEST = AddonManifest(name="orphan", version="1.0.0", summary="Test: depends on a missing addon",
                         depends=("contacts", "ghost"))
