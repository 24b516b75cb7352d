from core.manifest import AddonManifest

MANIFEST = AddonManifest(
    name="hr_sales",
    version="0.1.0",
    summary="HR with sales: a commission statement shows the payslip that paid it, and one taken into payroll "
            "can no longer be cancelled",
    depends=("hr", "sales"),
    auto_install=True,
    plugin="addons.hr_sales.plugin",
)
