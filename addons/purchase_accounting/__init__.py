from core.manifest import AddonManifest

MANIFEST = AddonManifest(
    name="purchase_accounting",
    version="0.2.0",
    summary="Purchase with accounting: vendor bills from purchase orders, checked against what was ordered and "
            "received before they are posted",
    depends=("purchase", "accounting"),
    auto_install=True,
    plugin="addons.purchase_accounting.plugin",
)
