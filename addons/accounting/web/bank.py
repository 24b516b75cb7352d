"""placeholder"""
from . import blueprint  # noqa: F401
