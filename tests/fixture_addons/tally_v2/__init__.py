"""Version 1.1.0 of the test addon tally: the same two migrations, plus one adding a currency the hook sets."""
from core.manifest import AddonManifest

MANIFEST = AddonManifest(name="tally", version="1.1.0", summary="Test addon with setup data, second release",
                         plugin="tests.fixture_addons.tally_v2.plugin")
