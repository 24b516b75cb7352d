from core.manifest import AddonManifest

MANIFEST = AddonManifest(name="faulty", version="1.0.0", summary="Test addon whose setup hook fails after writing",
                         depends=("tally",),
                         plugin="tests.fixture_addons.faulty.plugin")
