"""Records in a tree (categories, departments): moving one under another must not make a cycle."""
from __future__ import annotations


def cycle_chain(record, parent, *, parent_of=lambda node: node.parent, name_of=lambda node: node.name
                ) -> list[str] | None:
    """The names from ``record`` down to ``parent`` when ``parent`` is ``record`` or inside it, so that placing
    ``record`` under ``parent`` would make a cycle; None when it would not (or ``record`` is new)."""
    if record is None or record.id is None:
        return None
    chain, node = [], parent
    while node is not None:
        chain.append(name_of(node))
        if node.id == record.id:
            return list(reversed(chain))
        node = parent_of(node)
    return None
