"""Which addons exist: discovery through the ``bottega.addons`` entry points.

An entry point names a package whose ``MANIFEST`` attribute is an
:class:`~core.manifest.AddonManifest`. In-tree addons are declared in
setup.cfg; a third-party addon is any distribution declaring the same group.
Tests build a :class:`Catalog` from modules directly.
"""
from __future__ import annotations

import importlib
from collections.abc import Iterable, Mapping
from importlib.metadata import entry_points
from pathlib import Path
from types import ModuleType

from .errors import AddonError
from .manifest import AddonManifest

ENTRY_POINT_GROUP = "bottega.addons"


class Catalog(Mapping[str, AddonManifest]):
    """The known addons, by name."""

    def __init__(self, manifests: Iterable[AddonManifest]):
        self._manifests: dict[str, AddonManifest] = {}
        for manifest in manifests:
            if manifest.name in self._manifests:
                raise AddonError(f"two addons are both called {manifest.name!r}")
            self._manifests[manifest.name] = manifest

    def __getitem__(self, name: str) -> AddonManifest:
        return self._manifests[name]

    def __iter__(self):
        return iter(self._manifests)

    def __len__(self) -> int:
        return len(self._manifests)

    @classmethod
    def discover(cls) -> Catalog:
        manifests = []
        for ep in entry_points(group=ENTRY_POINT_GROUP):
            try:
                module = ep.load()
            except Exception as exc:  # a broken third-party package must not hide the rest
                raise AddonError(f"addon {ep.name}: cannot import {ep.value}: {exc}") from exc
            manifest = manifest_of(module)
            if manifest.name != ep.name:
                raise AddonError(
                    f"entry point {ep.name!r} ({ep.value}) declares an addon called {manifest.name!r}"
                )
            manifests.append(manifest)
        return cls(manifests)

    @classmethod
    def from_modules(cls, modules: Iterable[ModuleType | str]) -> Catalog:
        loaded = (importlib.import_module(m) if isinstance(m, str) else m for m in modules)
        return cls(manifest_of(module) for module in loaded)

    def resolve(self, names: Iterable[str]) -> list[str]:
        """Names plus everything they depend on, in dependency order (dependencies first).

        Raises :class:`AddonError` naming the chain for an unknown name, a
        missing dependency or a cycle.
        """
        order: list[str] = []
        done: set[str] = set()

        def visit(name: str, chain: tuple[str, ...]) -> None:
            if name in done:
                return
            if name in chain:
                cycle = " -> ".join(chain[chain.index(name):] + (name,))
                raise AddonError(f"dependency cycle: {cycle}")
            if name not in self._manifests:
                if chain:
                    raise AddonError(
                        f"missing dependency: {' -> '.join(chain + (name,))} "
                        f"({name!r} is not a known addon)"
                    )
                raise AddonError(f"unknown addon {name!r} (known: {', '.join(sorted(self)) or 'none'})")
            for dep in self._manifests[name].depends:
                visit(dep, chain + (name,))
            done.add(name)
            order.append(name)

        for name in sorted(names):
            visit(name, ())
        return order

    def with_auto_install(self, names: Iterable[str]) -> list[str]:
        """Resolve ``names`` and add every ``auto_install`` bridge whose dependencies are all in."""
        wanted = set(self.resolve(names))
        changed = True
        while changed:
            changed = False
            for manifest in self._manifests.values():
                if (
                    manifest.auto_install
                    and manifest.name not in wanted
                    and manifest.depends
                    and set(manifest.depends) <= wanted
                ):
                    wanted.add(manifest.name)
                    changed = True
        return self.resolve(wanted)

    def dependents(self, name: str, among: Iterable[str]) -> list[str]:
        """Addons in ``among`` that depend on ``name``, directly or not."""
        among = set(among)
        result = []
        for other in sorted(among - {name}):
            if other in self._manifests and name in self.resolve([other])[:-1]:
                result.append(other)
        return result

    def check_all(self) -> None:
        """Resolve every known addon, so that a broken catalog is reported at once."""
        self.resolve(self)


def manifest_of(module: ModuleType) -> AddonManifest:
    manifest = getattr(module, "MANIFEST", None)
    if not isinstance(manifest, AddonManifest):
        raise AddonError(f"{module.__name__} has no MANIFEST = AddonManifest(...)")
    if manifest.package_dir is None and getattr(module, "__file__", None):
        object.__setattr__(manifest, "package_dir", Path(module.__file__).parent)
    return manifest
