from core.manifest import AddonManifest

MANIFEST = AddonManifest(
    name="hr_accounting",
    version="0.1.0",
    summary="HR with accounting: posted payroll booked as one balanced journal entry, its net pay paid and "
            "reconciled",
    depends=("hr", "accounting"),
    auto_install=True,
    plugin="addons.hr_accounting.plugin",
)
