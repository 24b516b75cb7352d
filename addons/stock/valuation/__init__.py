"""Stock valuation: what each done move is worth, and what the stock on hand is worth.

The method is the product's (its stock field ``valuation_method``), else FIFO.
Only stockable goods are valued, and only moves that enter or leave the
company's stock (from or to a supplier, customer, inventory-loss or
production location); an internal move carries the product's cost and
changes no value. Full rules, with examples: ``docs/stock-valuation.md``.

- :mod:`.engine` applies the rules to one product in memory;
- :mod:`.store` reads and writes the records (``models.valuation``);
- :mod:`.services` is what the rest calls: ``value_done_moves`` (once per
  batch, from the done path), ``recompute_cost``, ``valuation_at``;
- :mod:`.standard` revalues stock on hand when a standard cost is changed.
"""
