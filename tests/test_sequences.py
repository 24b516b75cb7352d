"""Gapless numbering under real concurrent transactions."""
import random
import threading

from sqlalchemy.orm import Session

from core.db import make_engine
from core.sequences import next_number

THREADS = 6
ROUNDS = 15


def test_numbers_are_per_company_key_and_period(db):
    session = db.system()
    company = db.main_company.id
    assert [next_number(session, company, "inv", "2026") for _ in range(3)] == [1, 2, 3]
    assert next_number(session, company, "inv", "2027") == 1
    assert next_number(session, company, "bill", "2026") == 1
    other = db.company("Other S.p.A.")
    assert next_number(session, other.id, "inv", "2026") == 1


def test_rolled_back_numbers_are_reused(db):
    session = db.system()
    company = db.main_company.id
    session.begin_nested()
    assert next_number(session, company, "inv") == 1
    session.rollback()
    assert next_number(session, company, "inv") == 1


def test_concurrent_transactions_get_unique_gapless_numbers(initialized_url):
    engine = make_engine(initialized_url, pool_size=THREADS + 2) if "postgresql" in initialized_url \
        else make_engine(initialized_url)
    committed: list[int] = []
    lock = threading.Lock()
    errors: list[Exception] = []
    start = threading.Barrier(THREADS)

    def worker(seed: int) -> None:
        rng = random.Random(seed)
        try:
            start.wait()
            for _ in range(ROUNDS):
                with Session(engine) as session:
                    number = next_number(session, 1, "concurrent", "2026")
                    if rng.random() < 0.3:
                        session.rollback()
                        continue
                    session.commit()
                    with lock:
                        committed.append(number)
        except Exception as exc:  # reported below: the thread must not hide it
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(seed,)) for seed in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    engine.dispose()
    assert errors == []
    assert len(committed) > THREADS
    assert sorted(committed) == list(range(1, len(committed) + 1))
