from core.manifest import AddonManifest

MANIFEST = AddonManifest(
    name="sales_purchase",
    version="0.1.0",
    summary="Sales with purchase: a quotation line costs the preferred supplier's price when stock does not say",
    depends=("sales", "purchase"),
    auto_install=True,
    plugin="addons.sales_purchase.plugin",
)
