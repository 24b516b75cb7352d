from core.manifest import AddonManifest

MANIFEST = AddonManifest(
    name="sales_crm",
    version="0.1.0",
    summary="Sales with CRM: quotations made from opportunities, which follow them and are won by them",
    depends=("sales", "crm"),
    auto_install=True,
    plugin="addons.sales_crm.plugin",
)
