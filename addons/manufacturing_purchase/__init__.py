from core.manifest import AddonManifest

MANIFEST = AddonManifest(
    name="manufacturing_purchase",
    version="0.1.0",
    summary="Manufacturing with purchase: the requirements run buys from each product's preferred supplier, "
            "with its lead time, and a confirmed buy proposal becomes a draft purchase order",
    depends=("purchase_stock", "manufacturing"),
    auto_install=True,
    plugin="addons.manufacturing_purchase.plugin",
)
