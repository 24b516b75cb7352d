"""Imports put off until first use, so that ``bottega --help`` and a worker start without what they never touch.

A package lists what it exports and where each name lives; the module is
imported the first time the name is read (``from core import Base`` still
works, through the module's ``__getattr__``, PEP 562).
"""
from __future__ import annotations

import importlib
import sys
from collections.abc import Callable, Mapping
from typing import Any


def lazy_exports(package: str, exports: Mapping[str, str]) -> Callable[[str], Any]:
    """A module ``__getattr__`` for ``package``: each name in ``exports`` comes from the module it maps to.

    Module names may be relative to ``package`` (``".service"``). The value is
    kept in the package once imported, so later reads are plain attributes.
    """

    def __getattr__(name: str) -> Any:
        if name not in exports:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(exports[name], package), name)
        setattr(sys.modules[package], name, value)
        return value

    return __getattr__


def load(reference: str) -> Any:
    """The object that ``"package.module:attribute"`` names, its module imported now."""
    module, _, attribute = reference.partition(":")
    if not attribute:
        raise ValueError(f"{reference!r} is not a 'module:attribute' reference")
    return getattr(importlib.import_module(module), attribute)
