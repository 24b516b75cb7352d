from core.manifest import AddonManifest

MANIFEST = AddonManifest(
    name="products",
    version="0.2.0",
    summary="Products and services you sell or buy, with their code and list price",
    plugin="addons.products.plugin",
)
