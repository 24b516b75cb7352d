"""Addon lifecycle: plan, install, upgrade, uninstall, over Alembic branches."""
from .service import Lifecycle, Plan, Step, enabled_after

__all__ = ["Lifecycle", "Plan", "Step", "enabled_after"]
