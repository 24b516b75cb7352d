from core.manifest import AddonManifest

MANIFEST = AddonManifest(
    name="manufacturing_sales",
    version="0.1.0",
    summary="Manufacturing with sales: the requirements run plans for what confirmed sales orders still have to "
            "deliver",
    depends=("sales_stock", "manufacturing"),
    auto_install=True,
    plugin="addons.manufacturing_sales.plugin",
)
