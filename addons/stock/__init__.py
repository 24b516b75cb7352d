from core.manifest import AddonManifest

MANIFEST = AddonManifest(
    name="stock",
    version="0.1.0",
    summary="Warehouses, locations, stock moves and transfers, reservation, lots and serial numbers, counts",
    depends=("products",),
    plugin="addons.stock.plugin",
)
