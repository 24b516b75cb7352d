from core.manifest import AddonManifest

MANIFEST = AddonManifest(
    name="purchase",
    version="0.1.0",
    summary="Buying: supplier prices, requests for quotation and purchase orders, with approval",
    depends=("products", "contacts"),
    plugin="addons.purchase.plugin",
)
