from core.manifest import AddonManifest

MANIFEST = AddonManifest(
    name="hr_accounting",
    version="0.1.0",
    summary="HR with accounting: posted payroll booked as one balanced journal entry and its net pay paid and "
            "reconciled; approved expense claims posted and reimbursed by payment",
    depends=("hr", "accounting"),
    auto_install=True,
    plugin="addons.hr_accounting.plugin",
)
