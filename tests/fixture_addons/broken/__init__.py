from core.manifest import AddonManifest

MANIFEST = AddonManifest(name="broken", version="1.0.0", summary="Test addon whose migration fails halfway",
                         depends=("contacts",))
