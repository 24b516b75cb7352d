"""Demo payroll: the example structure of the company's country (Spain's otherwise) and January's batch, computed
and left for the user to check and post."""
from __future__ import annotations

import datetime as dt

from .batches import compute_batch, create_batch
from .examples import EXAMPLES, load_example


def load(session, company) -> None:
    year = dt.date.today().year
    country = company.country_code if company.country_code in EXAMPLES else "ES"
    structure = load_example(session, company.id, country=country, year=year)
    compute_batch(session, create_batch(session, company.id, month=dt.date(year, 1, 1), structure_id=structure.id))
