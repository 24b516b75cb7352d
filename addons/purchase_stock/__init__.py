from core.manifest import AddonManifest

MANIFEST = AddonManifest(
    name="purchase_stock",
    version="0.1.0",
    summary="Purchase with stock: a confirmed purchase order makes its receipt; what is received flows back",
    depends=("purchase", "stock"),
    auto_install=True,
    plugin="addons.purchase_stock.plugin",
)
