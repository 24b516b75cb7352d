from core.manifest import AddonManifest

MANIFEST = AddonManifest(
    name="accounting",
    version="0.1.0",
    summary="Chart of accounts, journals, invoices, taxes, payments, bank statements and financial reports",
    depends=("contacts", "products"),
    plugin="addons.accounting.plugin",
)
