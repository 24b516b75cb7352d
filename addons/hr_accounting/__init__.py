from core.manifest import AddonManifest

MANIFEST = AddonManifest(
    name="hr_accounting",
    version="0.1.0",
    summary="HR with accounting: approved expense claims posted to the ledger and reimbursed by payment",
    depends=("hr", "accounting"),
    auto_install=True,
    plugin="addons.hr_accounting.plugin",
)
