from core.manifest import AddonManifest

MANIFEST = AddonManifest(name="beta", version="1.0.0", summary="Test addon depending on alpha, no tables",
                         depends=("alpha",))
