"""Version 1.0.0 of the test addon gamma: one migration (gamma_v2 is the same addon, one release later)."""
from core.manifest import AddonManifest

MANIFEST = AddonManifest(name="gamma", version="1.0.0", summary="Test addon, first release")
