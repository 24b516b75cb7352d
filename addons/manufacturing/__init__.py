from core.manifest import AddonManifest

MANIFEST = AddonManifest(
    name="manufacturing",
    version="0.1.0",
    summary="Work centres, bills of materials (multi-level, versions, kits), production orders and their costs",
    depends=("stock",),
    plugin="addons.manufacturing.plugin",
)
