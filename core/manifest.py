"""The addon manifest: plain data read before any of an addon's code is imported."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from .errors import AddonError

NAME_RE = re.compile(r"^[a-z][a-z0-9_]*$")


@dataclass(frozen=True)
class AddonManifest:
    """What an addon declares about itself.

    ``plugin`` is the dotted module holding the ``@hookimpl`` functions; it is
    imported only when the addon is installed. ``migrations`` is the folder of
    the addon's Alembic branch, relative to ``package_dir``. ``package_dir`` is
    filled in by discovery.
    """

    name: str
    version: str
    summary: str
    depends: tuple[str, ...] = ()
    auto_install: bool = False
    plugin: str | None = None
    migrations: str = "migrations/versions"
    package_dir: Path | None = field(default=None, compare=False)

    def __post_init__(self) -> None:
        if not NAME_RE.match(self.name):
            raise AddonError(
                f"addon name {self.name!r} is invalid: use lower-case letters, digits and '_'"
            )
        if self.name == "core":
            raise AddonError("addon name 'core' is reserved for the framework")
        if not re.match(r"^\d+(\.\d+)*$", self.version):
            raise AddonError(f"addon {self.name}: version {self.version!r} is not like 1.2.0")
        if isinstance(self.depends, (str, list)):
            object.__setattr__(
                self, "depends", (self.depends,) if isinstance(self.depends, str) else tuple(self.depends)
            )
        if self.name in self.depends:
            raise AddonError(f"addon {self.name} depends on itself")

    @property
    def version_tuple(self) -> tuple[int, ...]:
        return parse_version(self.version)

    @property
    def migrations_dir(self) -> Path | None:
        if self.package_dir is None:
            return None
        path = self.package_dir / self.migrations
        return path if path.is_dir() else None

    @property
    def table_prefix(self) -> str:
        return f"{self.name}_"


def parse_version(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in version.split("."))
