"""Every catalogue of a language declares the same plural rule, with a form per plural for each message.

Flask-Babel merges the core's and the addons' catalogues into one and keeps the plural rule of the last one
loaded: a catalogue with another number of forms would then miss its plurals and show them in English."""
from collections import defaultdict
from pathlib import Path

from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[1]


def _catalogues():
    for path in sorted([*ROOT.glob("core/**/LC_MESSAGES/messages.po"), *ROOT.glob("addons/*/translations/*/LC_MESSAGES/messages.po")]):
        with path.open("rb") as handle:
            yield path, read_po(handle)


def test_the_catalogues_of_a_language_share_one_plural_rule_and_fill_every_form():
    rules = defaultdict(set)
    for path, catalog in _catalogues():
        rules[str(catalog.locale)].add(catalog.plural_expr)
        for message in catalog:
            if message.pluralizable and any(message.string):
                assert len(message.string) == catalog.num_plurals, f"{path}: {message.id[0]!r}"
    assert {"es", "it"} <= set(rules)
    assert all(len(found) == 1 for found in rules.values()), dict(rules)
