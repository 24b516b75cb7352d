"""Replenishment: reorder rules kept by stock managers, evaluated by a periodic job into a list of what to
order; ordering the list is left to the addons implementing the ``replenishment_proposed`` hook."""
from .evaluate import evaluate_rules, order_lines, ordering_available, suggested_quantity
from .rules import create_rule, update_rule

__all__ = ["create_rule", "evaluate_rules", "order_lines", "ordering_available", "suggested_quantity",
           "update_rule"]
