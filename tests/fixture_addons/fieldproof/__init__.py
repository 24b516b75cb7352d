"""Test addon fieldproof: one model with generic views, which tests/test_field_declared_once.py grows by a column."""
from core.manifest import AddonManifest

MANIFEST = AddonManifest(name="fieldproof", version="1.0.0", summary="Test addon grown by one field",
                         plugin=f"{__name__}.plugin")
