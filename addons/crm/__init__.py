from core.manifest import AddonManifest

MANIFEST = AddonManifest(
    name="crm",
    version="0.1.0",
    summary="Leads, opportunities, pipeline, activities, campaigns and automation",
    depends=("contacts",),
    plugin="addons.crm.plugin",
)
