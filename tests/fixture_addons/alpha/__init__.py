from core.manifest import AddonManifest

MANIFEST = AddonManifest(name="alpha", version="1.0.0", summary="Test addon with data",
                         depends=("contacts",), plugin="tests.fixture_addons.alpha.plugin")
