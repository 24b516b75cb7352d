"""The units and categories every database starts with, and their names in the user's language.

Units are data, so a renamed unit shows the name a person gave it; a seeded
one still carrying its English name shows its translation.
"""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

# code: (English name, label)
CATEGORIES = {
    "unit": ("Units", _l("Units")),
    "weight": ("Weight", _l("Weight")),
    "volume": ("Volume", _l("Volume")),
    "length": ("Length", _l("Length")),
    "area": ("Area", _l("Area")),
    "time": ("Working time", _l("Working time")),
}

# code: (category, English name, label, factor, whole)
UNITS = {
    "unit": ("unit", "Unit", _l("Unit"), "1", True),
    "pair": ("unit", "Pair", _l("Pair"), "2", True),
    "dozen": ("unit", "Dozen", _l("Dozen"), "12", False),
    "box12": ("unit", "Box of 12", _l("Box of 12"), "12", True),
    "kg": ("weight", "Kilogram", _l("Kilogram"), "1", False),
    "g": ("weight", "Gram", _l("Gram"), "0.001", False),
    "t": ("weight", "Tonne", _l("Tonne"), "1000", False),
    "l": ("volume", "Litre", _l("Litre"), "1", False),
    "ml": ("volume", "Millilitre", _l("Millilitre"), "0.001", False),
    "m3": ("volume", "Cubic metre", _l("Cubic metre"), "1000", False),
    "m": ("length", "Metre", _l("Metre"), "1", False),
    "cm": ("length", "Centimetre", _l("Centimetre"), "0.01", False),
    "mm": ("length", "Millimetre", _l("Millimetre"), "0.001", False),
    "km": ("length", "Kilometre", _l("Kilometre"), "1000", False),
    "m2": ("area", "Square metre", _l("Square metre"), "1", False),
    "hour": ("time", "Hour", _l("Hour"), "1", False),
    "day": ("time", "Working day (8 h)", _l("Working day (8 h)"), "8", False),
}


def category_label(code: str, name: str) -> str:
    seeded = CATEGORIES.get(code)
    return str(seeded[1]) if seeded and seeded[0] == name else name


def unit_label(code: str, name: str) -> str:
    seeded = UNITS.get(code)
    return str(seeded[2]) if seeded and seeded[1] == name else name
