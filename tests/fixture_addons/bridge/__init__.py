from core.manifest import AddonManifest

MANIFEST = AddonManifest(name="bridge", version="1.0.0", summary="Test bridge between alpha and beta",
                         depends=("alpha", "beta"), auto_install=True)
