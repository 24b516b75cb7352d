"""Bottega's in-tree addons, one package each; see core.manifest for the contract."""
