"""Version 1.0.0 of the test addon tally: a book per company, made by its after_install hook.

Its second migration adds a column the hook fills, so a setup that ran inside
the first migration with today's model would fail; tally_v2 is the same
addon one release later, with a third migration adding a column the hook sets.
"""
from core.manifest import AddonManifest

MANIFEST = AddonManifest(name="tally", version="1.0.0", summary="Test addon with setup data, first release",
                         plugin="tests.fixture_addons.tally.plugin")
