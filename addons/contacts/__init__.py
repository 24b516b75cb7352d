from core.manifest import AddonManifest

MANIFEST = AddonManifest(
    name="contacts",
    version="0.1.0",
    summary="Partners: companies and people you do business with",
    plugin="addons.contacts.plugin",
)
