from core.manifest import AddonManifest

MANIFEST = AddonManifest(
    name="sales_stock",
    version="0.1.0",
    summary="Sales with stock: a quotation line costs what stock values the product at, and says whether the "
            "quantity will be there in time",
    depends=("sales", "stock"),
    auto_install=True,
    plugin="addons.sales_stock.plugin",
)
