"""Version 1.1.0 of the test addon gamma: the same first migration, plus one that adds a column and a table."""
from core.manifest import AddonManifest

MANIFEST = AddonManifest(name="gamma", version="1.1.0", summary="Test addon, second release")
