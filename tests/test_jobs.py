"""The job queue with real components: huey on a SQLite file and on Redis, a real consumer in threads.

This module is also a tiny addon, ``jobtest`` (see ``MANIFEST`` and the
``register_jobs`` hook below), installed in each test's own database, so the
jobs come through the same hook and registry as any addon's.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import os
import threading
import time
import uuid
from collections import defaultdict

import pytest
import redis
from huey import crontab
from sqlalchemy import select

from core.catalog import Catalog
from core.config import load_config
from core.errors import AddonError, ConfigError, DatabaseError, ValidationError
from core.hookspecs import hookimpl
from core.db import make_engine, utcnow
from core.jobs import (
    DONE,
    FAILED,
    QUEUED,
    RUNNING,
    Job,
    JobError,
    JobQueue,
    JobRecord,
    Worker,
    enqueue,
    jobs_of,
    retry_job,
    use_queue,
)
from core.manifest import AddonManifest
from core.models import AuditLog, Company
from core.registry import build_registry
from core.security import actor_session
from core.sessions import make_session_factory
from core.testing import TestData, initialized_database

MANIFEST = AddonManifest(name="jobtest", version="1.0.0", summary="Test: background jobs", plugin=__name__)

# What the jobs did, by the token each test passes (tests in one process run one at a time).
CALLS: dict[str, list] = defaultdict(list)
FIXED: set[str] = set()
_calls_lock = threading.Lock()


def _note(token, **what):
    with _calls_lock:
        CALLS[token].append(what)


def record_job(context, token, value=None):
    _note(token, value=value, attempt=context.attempt, last=context.last_attempt, job_id=context.job_id)


def flaky_job(context, token, succeed_on):
    _note(token, attempt=context.attempt)
    if context.attempt < succeed_on:
        raise RuntimeError(f"attempt {context.attempt} failed")


def broken_job(context, token):
    _note(token, attempt=context.attempt)
    if token not in FIXED:
        raise ValueError("boom")


def chain_job(context, token):
    """Enqueues another job from inside a job, with the context's system session."""
    with context.session() as session:
        enqueue(session, "jobtest.record", token=token, value="from chain")
        session.commit()


def tick_job(context):
    _note("tick", job_id=context.job_id)


def rename_job(context, token, company_id, new_name):
    """Writes a business record through the context's session: access, rules and audit apply as in any service."""
    from core.models import Company

    with context.session() as session:
        session.get(Company, company_id).name = new_name
        session.commit()
    _note(token, registry=context.registry)


# A job that waits until its test lets it go (a job outlasting a stopping worker's grace period).
ENTERED: dict[str, threading.Event] = defaultdict(threading.Event)
RELEASED: dict[str, threading.Event] = defaultdict(threading.Event)


def waiting_job(context, token, fail_attempt=None):
    ENTERED[token, context.attempt].set()
    assert RELEASED[token, context.attempt].wait(60), "the test never let the job finish"
    _note(token, attempt=context.attempt)
    if context.attempt == fail_attempt:
        raise RuntimeError(f"attempt {context.attempt} failed late")


@hookimpl
def register_jobs():
    return (
        Job("jobtest.record", record_job),
        Job("jobtest.flaky", flaky_job, retries=3, retry_delay=1),
        Job("jobtest.broken", broken_job, retries=1, retry_delay=0),
        Job("jobtest.chain", chain_job),
        Job("jobtest.tick", tick_job, schedule=crontab()),
        Job("jobtest.wait", waiting_job, retries=2, timeout=30),
        Job("jobtest.hang", waiting_job, retries=2, retry_delay=0, timeout=1),
        Job("jobtest.rename", f"{__name__}:rename_job"),  # imported when it first runs, as the addons' jobs
    )


# --- helpers shared with test_mail.py ------------------------------------------------------


def wait_for(predicate, timeout: float = 30.0, what: str = "the condition"):
    """Poll ``predicate`` until it returns something true; fail after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {what} (last: {value!r})")
        time.sleep(0.05)


def redis_server_url() -> str:
    """Redis for the tests; skipped when unreachable unless BOTTEGA_REQUIRE_REDIS is set."""
    url = os.environ.get("BOTTEGA_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
    try:
        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except redis.RedisError as exc:
        if os.environ.get("BOTTEGA_REQUIRE_REDIS"):
            pytest.fail(f"BOTTEGA_REQUIRE_REDIS is set but Redis at {url} is unreachable: {exc}")
        pytest.skip(f"Redis at {url} is unreachable: {exc}")
    return url


class JobsEnvironment:
    """A database of the test's own, a config pointing at a queue of the test's own, a worker on demand."""

    def __init__(self, tmp_path, url, catalog, backend, redis_url=None, mail=None):
        self.catalog = catalog
        self.backend = backend
        self.url = url
        self.engine = initialized_database(url, catalog, [n for n in catalog if n == "jobtest"])
        lines = [f'[database]\nurl = "{url}"\n', f'[jobs]\nbackend = "{backend}"\n'
                 f'sqlite_path = "{tmp_path / "jobs.db"}"\n' + (f'redis_url = "{redis_url}"\n' if redis_url else "")]
        if mail:
            lines.append("[mail]\n" + "".join(f"{key} = {_toml(value)}\n" for key, value in mail.items()))
        path = tmp_path / "bottega.toml"
        path.write_text("\n".join(lines))
        self.config = load_config(path, environ={})
        self.queue_name = f"bottega_test_{uuid.uuid4().hex[:12]}"
        self.queue = JobQueue.from_config(self.config, name=self.queue_name)
        self.registry = build_registry(catalog, catalog.resolve([n for n in catalog if n == "jobtest"]))
        self.factory = make_session_factory(self.engine)
        self.worker: Worker | None = None

    def session(self):
        return actor_session(self.factory, self.registry, None)

    def enqueue(self, name: str, **arguments) -> int:
        """Enqueue job ``name`` in a transaction of its own; returns the job's id."""
        with self.session() as session:
            job_id = enqueue(session, name, **arguments).id
            session.commit()
        return job_id

    def data(self) -> TestData:
        return TestData(self.registry, self.factory)

    def start_worker(self, workers: int = 2, periodic: bool = True) -> Worker:
        self.worker = Worker(self.config, self.catalog, self.engine, self.queue).start(workers, periodic)
        return self.worker

    def stop_worker(self) -> None:
        if self.worker is not None:
            self.worker.stop()
            self.worker = None

    def jobs(self, name=None) -> list[JobRecord]:
        with self.session() as session:
            query = select(JobRecord).order_by(JobRecord.id)
            if name:
                query = query.where(JobRecord.name == name)
            return list(session.scalars(query))

    def job(self, job_id: int) -> JobRecord:
        with self.session() as session:
            return session.get(JobRecord, job_id)

    def close(self) -> None:
        self.stop_worker()
        if self.backend == "redis":
            connection = self.queue.huey.storage.conn
            keys = list(connection.scan_iter(match=f"huey.*{self.queue_name}*"))
            if keys:
                connection.delete(*keys)
        self.engine.dispose()


def _toml(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value) if isinstance(value, int) else f'"{value}"'


@pytest.fixture(params=["sqlite", "redis"])
def backend(request):
    return request.param


@pytest.fixture
def job_catalog():
    import sys

    return Catalog.from_modules([sys.modules[__name__]])


@pytest.fixture
def env(tmp_path, databases, job_catalog, backend):
    environment = JobsEnvironment(tmp_path, databases.new(), job_catalog, backend,
                                  redis_server_url() if backend == "redis" else None)
    try:
        with use_queue(environment.queue):
            yield environment
    finally:
        environment.close()


@pytest.fixture
def sqlite_env(tmp_path, databases, job_catalog):
    environment = JobsEnvironment(tmp_path, databases.new(), job_catalog, "sqlite")
    try:
        with use_queue(environment.queue):
            yield environment
    finally:
        environment.close()


def pending(queue: JobQueue) -> int:
    return queue.huey.pending_count()


def token() -> str:
    return uuid.uuid4().hex


# --- declaring and enqueueing ------------------------------------------------------------


def test_a_job_declaration_is_checked():
    with pytest.raises(JobError, match="must be '<addon>.<name>'"):
        Job("nodot", record_job)
    with pytest.raises(JobError, match="retries must be a whole number"):
        Job("jobtest.x", record_job, retries=-1)
    with pytest.raises(JobError, match="not callable"):
        Job("jobtest.x", 42)
    with pytest.raises(JobError, match="'record_job' is not a 'module:attribute' reference"):
        Job("jobtest.x", "record_job")
    with pytest.raises(JobError, match="timeout must be a whole number of seconds, at least 1, got 0"):
        Job("jobtest.x", record_job, timeout=0)
    assert Job("jobtest.x", record_job).timeout == 600


def test_only_installed_addons_jobs_exist(job_catalog):
    assert set(jobs_of(build_registry(job_catalog, []))) == {"core.send_mail", "core.clean_jobs",
                                                             "core.security_housekeeping",
                                                             "core.refresh_statistics", "core.run_task",
                                                             "core.webhook_deliver"}
    installed = jobs_of(build_registry(job_catalog, ["jobtest"]))
    assert {"jobtest.record", "jobtest.tick"} <= set(installed)
    assert installed["jobtest.flaky"].retries == 3 and installed["jobtest.flaky"].retry_delay == 1


def test_a_job_outside_its_addons_namespace_is_refused(job_catalog, monkeypatch):
    monkeypatch.setattr(__import__(__name__, fromlist=["x"]), "register_jobs",
                        hookimpl(lambda: (Job("crm.stolen", record_job),)))
    with pytest.raises(AddonError, match="job 'crm.stolen' must start with 'jobtest.'"):
        jobs_of(build_registry(job_catalog, ["jobtest"]))


def test_a_job_is_sent_only_when_the_transaction_commits(sqlite_env):
    env = sqlite_env
    with env.session() as session:
        record = enqueue(session, "jobtest.record", token="t", value=1)
        assert record.id is not None and record.state == QUEUED
        assert pending(env.queue) == 0
        session.commit()
    assert pending(env.queue) == 1
    assert [(j.name, j.arguments, j.state, j.attempts) for j in env.jobs()] == [
        ("jobtest.record", {"token": "t", "value": 1}, QUEUED, 0)]

    with env.session() as session:
        enqueue(session, "jobtest.record", token="t", value=2)
        session.rollback()
        session.commit()  # a later commit of the same session sends nothing that was rolled back
    with env.session() as session:
        enqueue(session, "jobtest.record", token="t", value=3)  # closed without commit
    assert pending(env.queue) == 1
    assert len(env.jobs()) == 1


def test_a_job_enqueued_in_a_rolled_back_savepoint_is_not_sent(sqlite_env):
    env = sqlite_env
    with env.session() as session:
        kept = enqueue(session, "jobtest.record", token="t", value="kept")
        savepoint = session.begin_nested()
        enqueue(session, "jobtest.record", token="t", value="dropped")
        savepoint.rollback()
        with session.begin_nested():
            inner = enqueue(session, "jobtest.record", token="t", value="inner")
        assert pending(env.queue) == 0  # releasing a savepoint is not the commit
        session.commit()
    assert pending(env.queue) == 2
    assert sorted(j.id for j in env.jobs()) == sorted([kept.id, inner.id])


def test_unknown_names_and_bad_arguments_are_clear_errors_and_write_nothing(sqlite_env):
    env = sqlite_env
    with env.session() as session:
        with pytest.raises(JobError, match=r"unknown job 'jobtest.nope': no installed addon declares it \(known: "
                                           r"core.clean_jobs, core.refresh_statistics, core.run_task, "
                                           r"core.security_housekeeping, core.send_mail, core.webhook_deliver, "
                                           r"jobtest.broken"):
            enqueue(session, "jobtest.nope")
        with pytest.raises(JobError, match="arguments must be JSON values"):
            enqueue(session, "jobtest.record", token=object())
        session.commit()
    assert env.jobs() == [] and pending(env.queue) == 0


def test_a_user_without_access_to_the_job_table_can_still_enqueue_through_a_service(sqlite_env):
    env = sqlite_env
    data = env.data()
    clerk = data.user("clerk", groups=["core.group_user"])
    session = data.as_user(clerk)
    with pytest.raises(Exception, match="access denied"):
        session.scalars(select(JobRecord)).all()
    session.rollback()
    record = enqueue(session, "jobtest.record", token="t", value="by clerk")
    session.commit()
    session.close()
    assert env.job(record.id).arguments == {"token": "t", "value": "by clerk"}
    assert pending(env.queue) == 1


def test_a_queue_that_cannot_be_reached_leaves_the_job_failed_and_visible(tmp_path, databases, job_catalog):
    env = JobsEnvironment(tmp_path, databases.new(), job_catalog, "redis", redis_url="redis://127.0.0.1:1/0")
    try:
        with use_queue(env.queue), env.session() as session:
            record = enqueue(session, "jobtest.record", token="t")
            session.commit()  # the commit itself succeeds: the data is safe
        stored = env.job(record.id)
        assert stored.state == FAILED
        assert stored.last_error.startswith("could not be sent to the job queue: ConnectionError")
    finally:
        env.engine.dispose()


# --- running: a real consumer ----------------------------------------------------------------


def test_the_worker_runs_jobs_retries_them_and_records_failures(env):
    ok, flaky, broken = token(), token(), token()
    with env.session() as session:
        done_id = enqueue(session, "jobtest.record", token=ok, value=42).id
        flaky_id = enqueue(session, "jobtest.flaky", token=flaky, succeed_on=2).id
        broken_id = enqueue(session, "jobtest.broken", token=broken).id
        chain_id = enqueue(session, "jobtest.chain", token=ok).id
        session.commit()
    env.start_worker()
    finished = lambda: all(env.job(i).state in (DONE, FAILED) for i in (done_id, flaky_id, broken_id, chain_id))
    wait_for(finished, what="the jobs to finish")
    wait_for(lambda: len(CALLS[ok]) == 2, what="the chained job")

    done = env.job(done_id)
    assert (done.state, done.attempts, done.last_error) == (DONE, 1, None)
    assert done.started_at <= done.finished_at
    assert {"value": 42, "attempt": 1, "last": False, "job_id": done_id} in CALLS[ok]
    assert {c["value"] for c in CALLS[ok]} == {42, "from chain"}  # enqueued inside a job, run by the same worker

    retried = env.job(flaky_id)
    assert (retried.state, retried.attempts) == (DONE, 2)
    assert [c["attempt"] for c in CALLS[flaky]] == [1, 2]

    failed = env.job(broken_id)
    assert (failed.state, failed.attempts) == (FAILED, 2)  # retries=1: two attempts
    assert failed.last_error == "ValueError: boom"
    assert "Traceback" in failed.error_detail and "broken_job" in failed.error_detail

    # an administrator retries it once the cause is fixed: it runs again with its full retries
    FIXED.add(broken)
    with env.session() as session:
        with pytest.raises(ValidationError, match="Only a failed job can be retried"):
            retry_job(session, done_id)
        retry_job(session, broken_id)
        assert env.job(broken_id).state == FAILED  # not yet committed
        session.commit()
    wait_for(lambda: env.job(broken_id).state == DONE, what="the retried job")
    assert env.job(broken_id).attempts == 3
    assert [c["attempt"] for c in CALLS[broken]] == [1, 2, 3]


def test_a_job_between_retries_is_queued_with_its_last_error(sqlite_env):
    env = sqlite_env
    flaky = token()
    job_id = env.enqueue("jobtest.flaky", token=flaky, succeed_on=3)
    env.start_worker(workers=1)
    between = wait_for(lambda: (j := env.job(job_id)).state == QUEUED and j.attempts >= 1 and j,
                       what="the first failure")
    assert between.last_error.startswith("RuntimeError: attempt ")
    wait_for(lambda: env.job(job_id).state == DONE, what="the third attempt")
    assert env.job(job_id).attempts == 3 and env.job(job_id).last_error is None


def test_periodic_jobs_run_in_the_worker_and_are_recorded(env):
    CALLS["tick"].clear()
    env.start_worker(workers=1)
    runs = wait_for(lambda: [j for j in env.jobs("jobtest.tick") if j.state == DONE], what="the periodic job")
    assert runs[0].attempts == 1 and runs[0].arguments == {}
    assert any(call["job_id"] == runs[0].id for call in CALLS["tick"])
    env.stop_worker()
    # without --periodic the worker runs queued jobs but schedules nothing
    before = len(env.jobs("jobtest.tick"))
    env.start_worker(workers=1, periodic=False)
    t = token()
    with env.session() as session:
        job_id = enqueue(session, "jobtest.record", token=t).id
        session.commit()
    wait_for(lambda: env.job(job_id).state == DONE, what="a queued job")
    assert len(env.jobs("jobtest.tick")) == before


def test_a_job_whose_addon_is_gone_fails_visibly_instead_of_vanishing(sqlite_env):
    env = sqlite_env
    with env.session() as session:
        record = JobRecord(name="jobtest.retired", arguments={}, state=QUEUED)
        session.add(record)
        session.commit()
    env.queue.send(record.id, Job("jobtest.retired", record_job, retries=0))
    env.start_worker(workers=1)
    failed = wait_for(lambda: (j := env.job(record.id)).state == FAILED and j, what="the unknown job")
    assert failed.last_error == "unknown job 'jobtest.retired': its addon is not installed"


def test_one_worker_per_queue_in_a_process(sqlite_env):
    env = sqlite_env
    env.start_worker(workers=1)
    with pytest.raises(JobError, match="already has a worker"):
        Worker(env.config, env.catalog, env.engine, env.queue)


def test_a_worker_started_as_bottega_worker_starts_makes_its_engine_and_registry_for_the_first_job(sqlite_env):
    """No engine given: the installed addons are read with the driver; the first job gets the full registry."""
    env = sqlite_env
    env.worker = Worker(env.config, env.catalog, queue=env.queue)
    assert {"jobtest.record", "jobtest.rename"} <= set(env.worker.jobs)
    env.worker.start(workers=1, periodic=False)
    t = token()
    with env.session() as session:
        company = session.scalars(select(Company)).first()
        company_id, old_name = company.id, company.name
    job_id = env.enqueue("jobtest.rename", token=t, company_id=company_id, new_name="Renamed by a job")
    wait_for(lambda: env.job(job_id).state == DONE, what="the job to be done")
    registry = CALLS[t][0]["registry"]
    assert registry.installed == ("jobtest",) and Company in registry.models and registry.access[Company]
    with env.session() as session:
        audit = session.scalars(select(AuditLog).where(AuditLog.table_name == "core_company",
                                                       AuditLog.record_id == company_id)).all()
    assert [entry.changes["name"] for entry in audit if "name" in entry.changes] == [[old_name, "Renamed by a job"]]


def test_a_worker_started_on_a_database_not_initialized_says_so(sqlite_env, databases, job_catalog):
    url = databases.new()
    make_engine(url).dispose()
    config = dataclasses.replace(sqlite_env.config, values={**sqlite_env.config.values, "database": {"url": url}})
    with pytest.raises(DatabaseError, match="is not initialized: run `bottega init`"):
        Worker(config, job_catalog, queue=sqlite_env.queue)


def test_a_worker_whose_url_the_driver_alone_does_not_read_checks_it_as_the_configuration_does(tmp_path, sqlite_env):
    path = tmp_path / "worker.toml"
    path.write_text('[database]\nurl = "mysql://u@h/db"\n')
    config = load_config(path, environ={}, check_database_url=False)  # as `bottega worker` loads it
    with pytest.raises(ConfigError, match=r"worker.toml: \[database\] url: only sqlite and postgresql databases"):
        Worker(config, sqlite_env.catalog, queue=sqlite_env.queue)


# --- stopping and lost runs -------------------------------------------------------------------


def test_a_stopping_worker_gives_back_a_job_that_outlasts_its_grace_period(sqlite_env):
    env = sqlite_env
    t = token()
    job_id = env.enqueue("jobtest.wait", token=t)
    env.worker = Worker(env.config, env.catalog, env.engine, env.queue).start(1, False, grace_period=0.2)
    assert ENTERED[t, 1].wait(30)
    env.stop_worker()  # the job does not finish within 0.2 s: it goes back to the queue
    given_back = env.job(job_id)
    assert (given_back.state, given_back.attempts) == (QUEUED, 1)
    assert given_back.last_error == "the worker stopped before attempt 1 finished: queued again"
    assert given_back.timeout_at > utcnow() and pending(env.queue) == 1

    RELEASED[t, 1].set()  # the abandoned run ends after all: no newer attempt began, so its outcome counts
    wait_for(lambda: env.job(job_id).state == DONE, what="the late run to be recorded")
    env.start_worker(workers=1, periodic=False)
    wait_for(lambda: pending(env.queue) == 0, what="the given-back message to be taken")
    env.stop_worker()
    assert (env.job(job_id).state, env.job(job_id).attempts) == (DONE, 1)  # and it was not run again
    assert len(CALLS[t]) == 1


def lost_run(env, name, attempts, state=RUNNING, **arguments) -> int:
    """A job row as a killed worker leaves it: ``state`` with ``attempts``, its deadline passed."""
    with env.session() as session:
        record = JobRecord(name=name, arguments=arguments, state=state, attempts=attempts,
                           started_at=utcnow(), timeout_at=utcnow() - dt.timedelta(seconds=1))
        session.add(record)
        session.commit()
        return record.id


def test_jobs_past_their_deadline_are_taken_back_as_a_failed_attempt(sqlite_env):
    env = sqlite_env
    worker = Worker(env.config, env.catalog, env.engine, env.queue)
    try:
        t = token()
        lost = lost_run(env, "jobtest.record", 1, token=t)
        last = lost_run(env, "jobtest.broken", 2, token=token())  # retries=1: that was its last attempt
        handed_over = lost_run(env, "jobtest.record", 1, state=QUEUED, token=t)  # its message was lost
        in_time = lost_run(env, "jobtest.record", 1, token=t)
        with env.session() as session:
            session.get(JobRecord, in_time).timeout_at = utcnow() + dt.timedelta(minutes=5)
            session.commit()

        assert worker.take_back_stalled() == 3
        queued = env.job(lost)
        assert (queued.state, queued.attempts) == (QUEUED, 1) and queued.timeout_at > utcnow()
        assert queued.last_error == "attempt 1 did not finish within 600 s (its worker stopped?): queued again"
        failed = env.job(last)
        assert failed.state == FAILED and failed.finished_at is not None
        assert failed.last_error == "attempt 2 did not finish within 600 s (its worker stopped?); it was the last attempt"
        assert (env.job(handed_over).state, env.job(handed_over).last_error) == (QUEUED, None)
        assert env.job(in_time).state == RUNNING
        assert pending(env.queue) == 2
    finally:
        worker.stop()

    env.start_worker(workers=1, periodic=False)
    wait_for(lambda: env.job(lost).state == DONE and env.job(handed_over).state == DONE, what="the jobs to run")
    assert env.job(lost).attempts == 2 and env.job(lost).last_error is None and env.job(lost).timeout_at is None
    assert [call["attempt"] for call in CALLS[t]] == [2, 2]


def test_a_run_taken_over_after_its_deadline_cannot_overwrite_the_newer_attempt(sqlite_env):
    env = sqlite_env
    t = token()
    job_id = env.enqueue("jobtest.hang", token=t, fail_attempt=1)
    worker = env.start_worker(workers=2, periodic=False)
    assert ENTERED[t, 1].wait(30)
    deadline = env.job(job_id).timeout_at
    wait_for(lambda: utcnow() > deadline, what="the run to outlast its 1 s timeout")
    assert worker.take_back_stalled() == 1  # the periodic check: attempt 1 is taken for lost
    assert ENTERED[t, 2].wait(30)  # and the other thread runs attempt 2
    RELEASED[t, 2].set()
    wait_for(lambda: env.job(job_id).state == DONE, what="attempt 2 to finish")
    RELEASED[t, 1].set()  # attempt 1 ends late, failing: too late to change anything
    env.stop_worker()  # waits for it
    final = env.job(job_id)
    assert (final.state, final.attempts, final.last_error) == (DONE, 2, None)
    assert [call["attempt"] for call in CALLS[t]] == [2, 1]


def test_the_jobs_of_one_commit_reach_a_sqlite_queue_in_one_write_and_run_each_on_its_own(sqlite_env):
    env, batch = sqlite_env, token()
    writes = []  # the queue's write transactions
    env.queue.huey.storage.conn.set_trace_callback(
        lambda statement: writes.append(statement) if statement.lower().startswith("begin") else None)
    with env.session() as session:
        ids = [enqueue(session, "jobtest.record", token=batch, value=number).id for number in range(5)]
        session.commit()
    assert len(writes) == 1 and pending(env.queue) == 5
    env.start_worker()
    wait_for(lambda: all(env.job(job_id).state == DONE for job_id in ids), what="the five jobs")
    assert sorted(call["value"] for call in CALLS[batch]) == list(range(5))


def test_jobs_a_sqlite_queue_cannot_take_are_all_left_failed_and_visible(sqlite_env):
    env = sqlite_env
    env.queue.huey.storage.conn.execute("drop table task")  # the queue file broken after the jobs were recorded
    with env.session() as session:
        ids = [enqueue(session, "jobtest.record", token="t", value=number).id for number in range(3)]
        session.commit()  # the commit itself succeeds: the data is safe
    for job_id in ids:
        stored = env.job(job_id)
        assert stored.state == FAILED
        assert stored.last_error.startswith("could not be sent to the job queue: OperationalError: no such table")
