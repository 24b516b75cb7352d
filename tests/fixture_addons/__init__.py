"""Addons that exist only for tests: a catalog is built from them explicitly, never discovered."""
