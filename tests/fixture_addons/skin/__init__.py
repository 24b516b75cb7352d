from core.manifest import AddonManifest

MANIFEST = AddonManifest(name="skin", version="1.0.0", summary="Test: overrides a core template",
                         depends=("contacts",))
