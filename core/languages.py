"""The languages Bottega speaks: its pages, its documents and its partners' correspondence."""
from __future__ import annotations

#: (code, name in that language), in the order forms offer them
LANGUAGES = (("en", "English"), ("es", "Español"), ("it", "Italiano"))
CODES = tuple(code for code, _name in LANGUAGES)
