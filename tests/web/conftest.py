"""Fixtures shared by the web tests."""
import uuid

import pytest
from huey import RedisHuey, SqliteHuey

from core.jobs import JobQueue, Worker, use_queue
from tests.test_jobs import redis_server_url


@pytest.fixture
def clerk(web):
    """A browser logged in as a contacts user of the main company."""
    web.db.user("clerk", groups=["contacts.group_user"])
    client = web.client()
    client.login("clerk")
    return client


@pytest.fixture(params=["sqlite", "redis"])
def queue(request, tmp_path):
    """The web's jobs go to a queue of the test's own: a SQLite file, and Redis (skipped when no Redis answers,
    unless BOTTEGA_REQUIRE_REDIS is set)."""
    name = f"bottega_tasks_{uuid.uuid4().hex[:12]}"
    if request.param == "redis":
        huey = RedisHuey(name, url=redis_server_url(), results=False)
    else:
        huey = SqliteHuey(name, filename=str(tmp_path / "queue.db"), results=False)
    queue = JobQueue(huey)
    with use_queue(queue):
        yield queue
    if request.param == "redis":
        connection = huey.storage.conn
        keys = list(connection.scan_iter(match=f"huey.*{name}*"))
        if keys:
            connection.delete(*keys)


@pytest.fixture
def worker(web, queue, catalog):
    """Start a worker on the web app's database and the test's queue (call it when the jobs may run)."""
    state = web.app.extensions["bottega"]
    started = []

    def start():
        started.append(Worker(state.config, catalog, state.engine, queue).start(workers=1, periodic=False))

    yield start
    for running in started:
        running.stop()
