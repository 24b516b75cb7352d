"""Two planners running the requirements of one company at once, each in its own session and connection: on
PostgreSQL the second is refused while the first run is open; on SQLite it waits for the first to commit. Either
way one run's proposals stand, never two mixed."""
import datetime as dt
import threading
from decimal import Decimal

from sqlalchemy import func, select

from addons.manufacturing.planning.forecasts import create_forecast
from addons.manufacturing.planning.models import PROPOSED, Proposal
from addons.manufacturing.planning.requirements import run_requirements
from addons.manufacturing.services.boms import create_bom
from addons.products.services import create_product
from core.errors import ValidationError

TODAY = dt.date(2026, 12, 7)


def in_thread(action):
    """Run ``action`` in another thread; return a function that waits for it and gives its outcome."""
    outcome = {}

    def target():
        try:
            outcome["result"] = action()
        except Exception as error:  # handed to the test, which asserts on it
            outcome["error"] = error

    thread = threading.Thread(target=target)
    thread.start()

    def finish():
        thread.join()
        return outcome
    return finish


def test_a_second_planner_is_refused_or_waits_and_one_run_stands(db_copy, databases):
    company_id = db_copy.main_company.id
    with db_copy.system() as system:
        part = create_product(system, company_id, code="PART", name="Part")
        box = create_product(system, company_id, code="BOX", name="Box")
        create_bom(system, company_id, product_id=box.id, lines=[{"product_id": part.id, "quantity": Decimal(2)}])
        create_forecast(system, company_id, product_id=box.id, date=TODAY, quantity=Decimal(5))
        system.commit()
    first_user = db_copy.user("primera", groups=["manufacturing.group_manager"])
    second_user = db_copy.user("segunda", groups=["manufacturing.group_manager"])
    first, second = db_copy.as_user(first_user), db_copy.as_user(second_user)

    run_requirements(first, company_id, today=TODAY)  # its transaction stays open: the planning row is locked

    def second_run():
        summary = run_requirements(second, company_id, today=TODAY)
        second.commit()
        return summary

    if databases.engine_name == "postgresql":
        refused = in_thread(second_run)()
        assert isinstance(refused.get("error"), ValidationError)
        assert str(refused["error"]) == ("Another planner is running the requirements of this company right now. "
                                         "Wait until that run ends, then run them again.")
        second.rollback()
        first.commit()
        assert in_thread(second_run)()["result"].proposals == 2
    else:
        waiting = in_thread(second_run)  # SQLite: waits for the first planner's write lock
        first.commit()
        assert waiting()["result"].proposals == 2
    with db_copy.system() as check:
        assert check.scalar(select(func.count()).select_from(Proposal).where(Proposal.state == PROPOSED)) == 2
