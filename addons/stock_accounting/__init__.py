from core.manifest import AddonManifest

MANIFEST = AddonManifest(
    name="stock_accounting",
    version="0.1.0",
    summary="Stock with accounting: the stock valuation posted to the ledger as it happens (perpetual inventory)",
    depends=("stock", "accounting"),
    auto_install=True,
    plugin="addons.stock_accounting.plugin",
)
