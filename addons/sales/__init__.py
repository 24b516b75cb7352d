from core.manifest import AddonManifest

MANIFEST = AddonManifest(
    name="sales",
    version="0.1.0",
    summary="Selling: price lists, quotations with taxes and margins, revisions and sales orders",
    depends=("contacts", "products", "accounting"),
    plugin="addons.sales.plugin",
)
