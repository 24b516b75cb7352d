"""Every hook is documented in core/hookspecs.py and docs/hooks.md, with its current arguments."""
import inspect
import re
from pathlib import Path

import pytest

from core import hookspecs
from core.plugin_manager import make_plugin_manager

DOCS = (Path(__file__).parent.parent / "docs" / "hooks.md").read_text()
HOOKS = sorted(name for name in dir(make_plugin_manager().hook) if not name.startswith("_"))


def test_there_are_hooks():
    assert "register_models" in HOOKS


@pytest.mark.parametrize("name", HOOKS)
def test_hook_is_documented_with_its_current_signature(name):
    spec = getattr(hookspecs, name)
    arguments = list(inspect.signature(spec).parameters)
    assert f"### `{name}({', '.join(arguments)})`" in DOCS


@pytest.mark.parametrize("name", HOOKS)
def test_spec_docstring_says_when_what_and_each_argument(name):
    spec = getattr(hookspecs, name)
    doc = inspect.getdoc(spec) or ""
    assert "Called" in doc, "say when the hook is called"
    assert ":return:" in doc
    for argument in inspect.signature(spec).parameters:
        assert f":param {argument}:" in doc


def test_docs_name_no_hook_that_does_not_exist():
    documented = set(re.findall(r"^### `(\w+)\(", DOCS, flags=re.M))
    assert documented == set(HOOKS)
