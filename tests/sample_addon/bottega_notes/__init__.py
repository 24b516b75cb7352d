from core import AddonManifest

MANIFEST = AddonManifest(name="notes", version="0.1.0", summary="Notes about partners", depends=("contacts",),
                         plugin="bottega_notes.plugin")
