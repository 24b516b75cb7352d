"""The opportunities' pivot page over growing numbers of rows, against the same GROUP BY in raw SQL.

Fills opportunities over four stages and five salespeople, then asks the web app in this process,
logged in as the administrator, for the pivot of the expected revenue by stage and salesperson: the
page as a user gets it (access and company rules, the groups' labels, the HTML). The baseline is the
hand-written GROUP BY sent straight to the driver. A pivot reads the groups, never the rows (at most
``MAX_GROUPS`` of them), so its time should grow as the raw query's does. Prints the median times per
size and their ratios.
"""
from __future__ import annotations

import random
import sys
import tempfile
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import insert, select, text  # noqa: E402

from addons.crm.models import Lead, Stage  # noqa: E402
from core.catalog import Catalog  # noqa: E402
from core.db import utcnow  # noqa: E402
from core.lifecycle import Lifecycle  # noqa: E402
from core.models import User  # noqa: E402
from core.sessions import make_session_factory  # noqa: E402
from core.testing import ADMIN_PASSWORD, WebClient, initialized_database, web_config  # noqa: E402
from core.web.app import WebState, build_app  # noqa: E402
from timing import median_seconds, sized_arguments  # noqa: E402

PAGE = "/crm/opportunities/pivot?group=stage_id&group=user_id&measure=expected_revenue"
RAW = """
SELECT l.stage_id, l.user_id, count(*), sum(l.expected_revenue) FROM crm_lead l
WHERE l.company_id = 1 AND l.kind = 'opportunity'
GROUP BY l.stage_id, l.user_id ORDER BY l.stage_id, l.user_id
"""
BATCH = 20_000


class Filler:
    """Adds opportunities up to each size in turn, on four stages and five salespeople made once."""

    def __init__(self, engine):
        self.engine, self.rng, self.done = engine, random.Random(11), 0
        now = utcnow()
        with engine.begin() as connection:
            self.stages = [connection.execute(insert(Stage.__table__).values(
                company_id=1, name=name, sequence=number, probability=Decimal(10 + 20 * number), is_won=False)
            ).inserted_primary_key[0] for number, name in enumerate(("New", "Qualified", "Proposal", "Negotiation"))]
            connection.execute(insert(User.__table__), [
                {"login": f"seller{n}", "name": f"Seller {n}", "company_id": 1, "active": True, "created_at": now,
                 "updated_at": now} for n in range(5)])
            self.users = connection.scalars(select(User.id).where(User.login.like("seller%"))).all()

    def fill_to(self, size: int) -> None:
        now = utcnow()
        with self.engine.begin() as connection:
            for start in range(self.done, size, BATCH):
                connection.execute(insert(Lead.__table__), [
                    {"company_id": 1, "kind": "opportunity", "name": f"Deal {number}", "state": "open",
                     "stage_id": self.rng.choice(self.stages), "user_id": self.rng.choice(self.users),
                     "probability": Decimal(50), "expected_revenue": Decimal(self.rng.randrange(100, 1_000_000)) / 100,
                     "source": "manual", "created_at": now, "updated_at": now}
                    for number in range(start, min(start + BATCH, size))])
        with self.engine.begin() as connection:
            connection.execute(text("ANALYZE"))
        self.done = size


def main() -> None:
    args = sized_arguments(__doc__, "opportunities")
    with tempfile.TemporaryDirectory() as folder:
        url = args.url or f"sqlite:///{Path(folder) / 'bench.db'}"
        catalog = Catalog.discover()
        engine = initialized_database(url, catalog, ["crm"])
        filler = Filler(engine)
        registry = Lifecycle(engine, catalog).registry()
        app = build_app(WebState(web_config(Path(folder)), catalog, engine, registry, make_session_factory(engine)))
        client = WebClient(app)
        client.login("admin", ADMIN_PASSWORD)

        def page():
            response = client.get(PAGE)
            body = response.get_data(as_text=True)
            if response.status_code != 200 or "Negotiation" not in body or "Seller 4" not in body:
                raise SystemExit(f"the pivot page answered {response.status_code} without its groups")

        print(f"pivot of opportunities by stage and salesperson ({engine.dialect.name}), median of {args.repeat}")
        print(f"  {'rows':>10} {'pivot page ms':>14} {'raw SQL ms':>11} {'ratio':>7}")
        for size in args.sizes:
            filler.fill_to(size)
            page_time, _ = median_seconds(page, args.repeat)
            with engine.connect() as connection:
                raw_time, groups = median_seconds(lambda: connection.execute(text(RAW)).all(), args.repeat)
            if sum(row[2] for row in groups) != size:
                raise SystemExit("the raw GROUP BY does not count every row")
            print(f"  {size:>10,} {page_time * 1000:14.1f} {raw_time * 1000:11.1f} {page_time / raw_time:6.2f}x")
        engine.dispose()


if __name__ == "__main__":
    main()
