from core.manifest import AddonManifest

MANIFEST = AddonManifest(
    name="hr",
    version="0.2.0",
    summary="People: employees, departments, job positions, contracts and working schedules",
    depends=("contacts",),
    plugin="addons.hr.plugin",
)
