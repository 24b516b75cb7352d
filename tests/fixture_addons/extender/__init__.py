from core.manifest import AddonManifest

MANIFEST = AddonManifest(name="extender", version="1.0.0", summary="Test: adds a column to contacts_partner",
                         depends=("contacts",))
