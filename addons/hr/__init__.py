from core.manifest import AddonManifest

MANIFEST = AddonManifest(
    name="hr",
    version="0.2.0",
    summary="People: employees, departments, job positions, contracts, working schedules, leave, attendance and "
            "timesheets, expense claims and payroll",
    depends=("contacts",),
    plugin="addons.hr.plugin",
)
