"""pytest plugin for Bottega and its addons (enabled by the repository's conftest.py).

The engine is SQLite unless ``BOTTEGA_TEST_DATABASE_URL`` names a PostgreSQL
server; then every database a test run needs is created on that server, named
``bottega_test_<random>``, and dropped at the end of the run.

Fixtures, from the widest:

- ``databases``: makes and drops empty test databases (``databases.new()``);
- ``catalog``: the addons discovered through entry points;
- ``installed_engine`` / ``registry``: one database per run with the core and
  every discovered addon installed through the real lifecycle;
- ``db``: a per-test view of that database inside a transaction that is rolled
  back afterwards; ``db.system()`` and ``db.as_user(user)`` open sessions,
  ``db.user(...)`` and ``db.company(...)`` make records;
- ``fresh_url`` / ``initialized_url``: a database of the test's own, empty or
  after ``bottega init``, for lifecycle and concurrency tests.
"""
from __future__ import annotations

import os
import re
import socket
import sqlite3
import time
import uuid
from contextlib import contextmanager
from dataclasses import dataclass, field

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, MetaData, event, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from core import encryption
from core.catalog import Catalog
from core.config import Config, load_config
from core.db import make_engine
from core.lifecycle import Lifecycle
from core.lifecycle.initialize import initialize
from core.models import Company, User
from core.models.user import Group as GroupRow
from core.registry import CORE, Registry
from core.security import actor_session, credentials, load_actor
from core.sessions import make_session_factory

TEST_URL_ENV = "BOTTEGA_TEST_DATABASE_URL"
ADMIN_PASSWORD = "admin-password"
USER_PASSWORD = "staff-user-password"

# Addons that keep encrypted fields (hr) need a key: one per test process, also given to the commands the tests
# run (they inherit the environment); a test of the keys themselves sets its own.
os.environ.setdefault(encryption.ENV_NAME, encryption.generate_key())
encryption.use_keys([os.environ[encryption.ENV_NAME]], encryption.ENV_NAME)


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now (for test servers)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Databases:
    """Creates empty databases on the test engine and drops them all at the end."""

    def __init__(self, tmp_path_factory):
        self.server_url = os.environ.get(TEST_URL_ENV)
        self.tmp = tmp_path_factory
        self.created: list[str] = []

    @property
    def engine_name(self) -> str:
        return make_url(self.server_url).get_backend_name() if self.server_url else "sqlite"

    def copy(self, source_url: str, source_engine: Engine) -> str:
        """A new database with the content of ``source_url`` (whose engine is closed for the copy)."""
        if not self.server_url:
            url = f"sqlite:///{self.tmp.mktemp('db') / 'bottega.db'}"
            source = sqlite3.connect(make_url(source_url).database)
            target = sqlite3.connect(make_url(url).database)
            try:
                source.backup(target)
            finally:
                source.close()
                target.close()
        else:
            source_engine.dispose()
            name = f"bottega_test_{uuid.uuid4().hex[:12]}"
            template = make_url(source_url).database
            with self._admin() as connection:
                connection.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{template}"'))
            url = make_url(self.server_url).set(database=name).render_as_string(hide_password=False)
        self.created.append(url)
        return url

    def new(self) -> str:
        if not self.server_url:
            url = f"sqlite:///{self.tmp.mktemp('db') / 'bottega.db'}"
        else:
            name = f"bottega_test_{uuid.uuid4().hex[:12]}"
            with self._admin() as connection:
                connection.execute(text(f'CREATE DATABASE "{name}"'))
            url = make_url(self.server_url).set(database=name).render_as_string(hide_password=False)
        self.created.append(url)
        return url

    def _admin(self):
        engine = make_engine(self.server_url, isolation_level="AUTOCOMMIT")
        return _DisposingConnection(engine)

    def drop_all(self) -> None:
        if not self.server_url:
            return
        with self._admin() as connection:
            for url in self.created:
                name = make_url(url).database
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


class _DisposingConnection:
    def __init__(self, engine: Engine):
        self.engine = engine

    def __enter__(self):
        self.connection = self.engine.connect()
        return self.connection

    def __exit__(self, *exc):
        self.connection.close()
        self.engine.dispose()


@pytest.fixture(autouse=True)
def _test_job_queue(tmp_path_factory):
    """Jobs enqueued by a test go to a queue file of its own, never to instance/ in the repository."""
    from huey import SqliteHuey

    from core.jobs import JobQueue, use_queue

    folder = tmp_path_factory.mktemp("queue")
    with use_queue(JobQueue(SqliteHuey("test", filename=str(folder / "jobs.db"), results=False))):
        yield


@pytest.fixture(scope="session")
def databases(tmp_path_factory):
    manager = Databases(tmp_path_factory)
    yield manager
    manager.drop_all()


@pytest.fixture(scope="session")
def catalog() -> Catalog:
    catalog = Catalog.discover()
    catalog.check_all()
    return catalog


def schema_differences(engine: Engine, registry: Registry, addon: str | None = None) -> list:
    """What Alembic's autogenerate finds between the database and the installed models; empty when equal.

    With ``addon``, only that addon's tables are compared: its migrations must
    create exactly its models.
    """
    metadata = MetaData()
    for owner in (CORE, *registry.installed):
        for table in registry.tables_of(owner):
            table.to_metadata(metadata)
    options = {"compare_type": True}
    if addon is not None:
        owned = {table.name for table in registry.tables_of(addon)}
        options["include_name"] = lambda name, type_, parents: type_ != "table" or name in owned
        options["include_object"] = lambda obj, name, type_, reflected, compare_to: (
            name in owned if type_ == "table" else obj.table.name in owned)
    with engine.connect() as connection:
        return compare_metadata(MigrationContext.configure(connection, opts=options), metadata)


def initialized_database(url: str, catalog: Catalog, addons=()) -> Engine:
    engine = make_engine(url)
    initialize(engine, catalog, ADMIN_PASSWORD)
    if addons:
        lifecycle = Lifecycle(engine, catalog)
        lifecycle.run(lifecycle.plan_install(addons))
    return engine


@pytest.fixture(scope="session")
def installed_engine(databases, catalog):
    engine = initialized_database(databases.new(), catalog, list(catalog))
    yield engine
    engine.dispose()


@pytest.fixture(scope="session")
def registry(installed_engine, catalog) -> Registry:
    return Lifecycle(installed_engine, catalog).registry()


@dataclass
class TestData:
    """Helpers over one test's database: sessions as the system or a user, companies, users."""

    __test__ = False  # not a pytest test class

    registry: Registry
    factory: object
    sessions: list = field(default_factory=list)

    def system(self) -> Session:
        return self._open(None)

    def as_user(self, user: User, company_ids=None) -> Session:
        with self.factory() as lookup:
            actor = load_actor(lookup, self.registry, user.id, company_ids)
        return self._open(actor)

    def _open(self, actor) -> Session:
        session = actor_session(self.factory, self.registry, actor)
        self.sessions.append(session)
        event.listen(session, "after_begin", self._began)
        return session

    def _began(self, session, _transaction, _connection) -> None:
        """Keep ``sessions`` in the order their transactions began (savepoints nest in that order)."""
        self.sessions.remove(session)
        self.sessions.append(session)

    def close_all(self) -> None:
        """Close the sessions innermost savepoint first, so each one still finds its own."""
        for session in reversed(self.sessions):
            session.close()

    @property
    def main_company(self) -> Company:
        with self.factory() as session:
            return session.scalars(select(Company).order_by(Company.id)).first()

    def company(self, name: str) -> Company:
        with self.factory() as session:
            company = Company(name=name)
            session.add(company)
            session.commit()
            return company

    def user(self, login: str, groups=(), companies=(), password: str = USER_PASSWORD, lang: str = "en") -> User:
        """A user in ``groups`` (keys) working in ``companies`` (default: the main company), speaking ``lang``."""
        companies = list(companies) or [self.main_company]
        with self.factory() as session:
            user = User(
                login=login,
                name=login.title(),
                lang=lang,
                company_id=companies[0].id,
                companies=[session.get(Company, c.id) for c in companies],
                groups=list(session.scalars(select(GroupRow).where(GroupRow.key.in_(groups)))),
            )
            session.add(user)
            session.flush()
            credentials.set_password(session, user.id, password)
            session.commit()
            return user

    def admin(self) -> User:
        with self.factory() as session:
            return session.scalars(select(User).where(User.login == "admin")).one()


@pytest.fixture
def db(installed_engine, registry):
    connection = installed_engine.connect()
    transaction = connection.begin()
    test_db = TestData(registry, make_session_factory(connection))
    try:
        yield test_db
    finally:
        test_db.close_all()
        transaction.rollback()
        connection.close()


@pytest.fixture
def db_copy(databases, installed_engine, registry):
    """Like ``db``, but on a copy of the installed database with real commits.

    For tests whose sessions interleave in ways savepoints on one shared
    connection cannot follow (many users acting in turn, jobs).
    """
    engine = make_engine(databases.copy(installed_engine.url.render_as_string(hide_password=False),
                                        installed_engine))
    data = TestData(registry, make_session_factory(engine))
    data.engine = engine
    try:
        yield data
    finally:
        data.close_all()
        engine.dispose()


@pytest.fixture
def fresh_url(databases) -> str:
    return databases.new()


@pytest.fixture
def initialized_url(databases, catalog) -> str:
    url = databases.new()
    initialized_database(url, catalog).dispose()
    return url


def pdf_text(document) -> str:
    """The words of a laid-out WeasyPrint document (``render()``'s result), in reading order, space-separated."""
    from weasyprint.formatting_structure.boxes import TextBox

    words = []

    def walk(box):
        if isinstance(box, TextBox):
            words.append(box.text)
        for child in getattr(box, "children", ()):
            walk(child)

    for page in document.pages:
        walk(page._page_box)
    return " ".join(words)


def image_bytes(kind: str = "PNG", size: tuple[int, int] = (60, 30), color: str = "#c0392b") -> bytes:
    """A small picture in Pillow's ``kind`` (PNG, JPEG, GIF...), for upload tests."""
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, kind)
    return buffer.getvalue()


def web_config(tmp_path) -> Config:
    path = tmp_path / "web.toml"
    path.write_text('[server]\nsecret_key = "test-secret-key-test-secret-key"\n'
                    f'[jobs]\nsqlite_path = "{tmp_path / "jobs.db"}"\nfiles_path = "{tmp_path / "task-files"}"\n'
                    f'[attachments]\nfolder = "{tmp_path / "attachments"}"\nmax_mb = 1\n')
    return load_config(path, environ={})


class WebClient:
    """A Flask test client that logs in through the login form and sends CSRF tokens like a browser."""

    CSRF = re.compile(r'name="csrf-token" content="([^"]+)"')

    def __init__(self, app):
        from werkzeug.test import Client

        self.app = app
        self.client = app.test_client() if hasattr(app, "test_client") else Client(app, use_cookies=True)
        self.token = None

    def get(self, url, **kwargs):
        response = self.client.get(url, **kwargs)
        found = self.CSRF.search(response.get_data(as_text=True)) if response.mimetype == "text/html" else None
        if found:
            self.token = found.group(1)
        return response

    def post(self, url, data=None, csrf=True, **kwargs):
        data = dict(data or {})
        if csrf:
            if self.token is None:
                self.get("/login")
            data.setdefault("csrf_token", self.token)
        return self.client.post(url, data=data, **kwargs)

    def post_json(self, url, payload):
        return self.client.post(url, json=payload, headers={"X-CSRFToken": self.token or ""})

    def preview_and_save(self, form_url: str, data: dict) -> tuple[dict, str]:
        """A document form's live totals for ``data`` (``<form_url minus /new or /edit>/preview``), then the same
        ``data`` saved: the preview's JSON and the saved record's URL (core.web.previews)."""
        base = form_url.rsplit("/", 1)[0]
        preview = self.post(base + "/preview", data, headers={"Accept": "application/json"})
        assert preview.status_code == 200, preview.get_data(as_text=True)
        saved = self.post(form_url, data)
        assert saved.status_code == 302, saved.get_data(as_text=True)
        return preview.get_json(), saved.headers["Location"]

    def login(self, login: str, password: str = USER_PASSWORD):
        self.get("/login")
        response = self.post("/login", {"login": login, "password": password})
        self.get("/")
        return response


@pytest.fixture
def web(databases, installed_engine, registry, catalog, tmp_path):
    """The web app over a copy of the installed database, with real commits as in production.

    ``web.client()`` gives a fresh browser; ``web.db`` makes users, companies and sessions.
    """
    from core.web.app import WebState, build_app
    from core.web.limiter import limiter

    engine = make_engine(databases.copy(installed_engine.url.render_as_string(hide_password=False),
                                        installed_engine))
    factory = make_session_factory(engine)
    app = build_app(WebState(web_config(tmp_path), catalog, engine, registry, factory))
    app.config["TESTING"] = True
    with app.app_context():
        limiter.reset()
    data = TestData(registry, factory)

    class Web:
        def __init__(self):
            self.app = app
            self.db = data

        def client(self) -> WebClient:
            return WebClient(app)

    try:
        yield Web()
    finally:
        data.close_all()
        engine.dispose()


@pytest.fixture
def served(databases, tmp_path):
    """``served(catalog, addons)``: a database of the test's own, served by the real Dispatcher.

    Unlike ``web``, changes are committed, so lifecycle actions from the web UI
    (which rebuild the app) can be tested; returns (client factory, database URL).
    """
    from core.web.app import Dispatcher
    from core.web.limiter import limiter

    engines = []

    def serve(catalog: Catalog, addons=()):
        url = databases.new()
        engine = initialized_database(url, catalog, addons)
        engines.append(engine)
        config_path = tmp_path / "served.toml"
        enabled = ", ".join(f'"{name}"' for name in addons)
        config_path.write_text(f'[database]\nurl = "{url}"\n[addons]\nenabled = [{enabled}]\n'
                               '[server]\nsecret_key = "test-secret-key-test-secret-key"\n')
        dispatcher = Dispatcher(load_config(config_path, environ={}), catalog, engine)
        with dispatcher.current().app_context():
            limiter.reset()
        return (lambda: WebClient(dispatcher)), url

    yield serve
    for engine in engines:
        engine.dispose()


@contextmanager
def queued_tasks(app, catalog):
    """Send the web app's jobs to a SQLite queue of their own, run by a worker in threads, for the block.

    For tests whose pages queue work (an import): :func:`finish_task` then waits for it.
    """
    from huey import SqliteHuey

    from core.jobs import JobQueue, Worker, use_queue

    state = app.extensions["bottega"]
    queue = JobQueue(SqliteHuey(f"tasks_{uuid.uuid4().hex[:12]}", filename=state.config.values["jobs"]["sqlite_path"],
                                results=False))
    with use_queue(queue):
        worker = Worker(state.config, catalog, state.engine, queue).start(workers=1, periodic=False)
        try:
            yield queue
        finally:
            worker.stop()


@pytest.fixture
def task_worker(web, catalog):
    """The ``web`` app's queued tasks run (see :func:`queued_tasks`)."""
    with queued_tasks(web.app, catalog) as queue:
        yield queue


def finish_task(client: WebClient, response, timeout: float = 300) -> str:
    """Wait for the task a page queued (``response`` redirects to its page) to finish; returns its result page."""
    assert response.status_code == 302 and response.headers["Location"].startswith("/tasks/"), response.status_code
    task_url = response.headers["Location"]
    deadline = time.monotonic() + timeout
    while not client.get(f"{task_url}/status").get_json()["finished"]:
        assert time.monotonic() < deadline, f"{task_url} did not finish within {timeout} s"
        time.sleep(0.05)
    return client.get(task_url).get_data(as_text=True)


def subscribe_webhook(data: TestData, session: Session, events, url: str = "http://127.0.0.1:9/hook"):
    """A webhook subscription to ``events`` owned by ``session``'s user in their current company (tests of an
    addon's events: the deliveries written are what :func:`published` reads; nothing is sent without a worker)."""
    from core.models.webhook import WebhookSubscription
    from core.webhooks.subscriptions import new_secret

    actor = session.info["actor"]
    with data.factory() as system:
        subscription = WebhookSubscription(company_id=actor.company_id, owner_id=actor.user_id, name="Test hook",
                                           url=url, events=list(events), secret=new_secret())
        system.add(subscription)
        system.commit()
        return subscription


def published(data: TestData, event: str) -> list[int]:
    """The record ids of the webhook deliveries written for ``event``, in order."""
    from core.models.webhook import WebhookDelivery

    with data.factory() as system:
        return list(system.scalars(select(WebhookDelivery.record_id).where(WebhookDelivery.event == event)
                                   .order_by(WebhookDelivery.id)))
