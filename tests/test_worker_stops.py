"""A real ``bottega worker`` process stopped mid-mailing (SIGTERM, SIGKILL): every mail goes out exactly once.

The SMTP server (aiosmtpd on 127.0.0.1) can hold the conversations at RCPT
from the n-th mail on, so that the test stops the worker exactly while its
two threads are each in the middle of a send: before the server has the
message, as when a worker is stopped while talking to a slow server.
"""
from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import textwrap
from collections import Counter
from pathlib import Path

import pytest
from sqlalchemy import select

from core.config import load_config
from core.db import make_engine, utcnow
from core.jobs import DONE, QUEUED, RUNNING, JobRecord, queue_for_config, use_queue
from core.mail import SENT, Mail, queue_mail
from core.sessions import make_session_factory
from core.testing import free_port
from tests.test_jobs import wait_for
from tests.test_mail import Inbox, SMTPServer, mail_settings

ROOT = Path(__file__).resolve().parent.parent
MAILS = 30
HOLD_FROM = 10  # the server holds every conversation once it has this many messages (or one more: a send past
#                RCPT when the tenth arrived still finishes)
THREADS = 2


class HoldingInbox(Inbox):
    """An inbox that, once holding, keeps each sender waiting at RCPT until :meth:`release`."""

    def __init__(self):
        super().__init__()
        self.hold_from: int | None = None
        self.held = 0
        self.released = asyncio.Event()
        self.loop = None

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.hold_from is not None and len(self.messages) >= self.hold_from:
            self.loop = asyncio.get_running_loop()
            self.held += 1
            await self.released.wait()
            self.held -= 1
        return await super().handle_RCPT(server, session, envelope, address, rcpt_options)

    def release(self):
        self.hold_from = None
        if self.loop is not None:
            self.loop.call_soon_threadsafe(self.released.set)


class Installation:
    """A database with a mailing of MAILS queued, a config file, and worker processes on demand."""

    def __init__(self, tmp_path, url, port, smtp_timeout):
        self.tmp_path = tmp_path
        self.config_path = tmp_path / "bottega.toml"
        settings = {**mail_settings(port, retries=3, retry_delay=1), "timeout": smtp_timeout}
        self.config_path.write_text(
            f'[database]\nurl = "{url}"\n[jobs]\nsqlite_path = "{tmp_path / "queue.db"}"\n[mail]\n'
            + "".join(f"{key} = {value!r}\n".replace("'", '"') for key, value in settings.items()))
        self.engine = make_engine(url)
        self.factory = make_session_factory(self.engine)
        self.workers: list[subprocess.Popen] = []
        with use_queue(queue_for_config(load_config(self.config_path, environ={}))), self.factory() as session:
            self.ids = [queue_mail(session, to=f"customer{n}@example.es", subject=f"Spring offers {n}",
                                   text="Our offers").id for n in range(MAILS)]
            session.commit()

    def start_worker(self, *options: str) -> subprocess.Popen:
        log = open(self.tmp_path / f"worker{len(self.workers)}.log", "w")
        worker = subprocess.Popen([sys.executable, "-m", "core.cli", "--config", str(self.config_path), "worker",
                                   "--workers", str(THREADS), *options], cwd=ROOT, stdout=log,
                                  stderr=subprocess.STDOUT, env={**os.environ, "PYTHONUNBUFFERED": "1"})
        log.close()
        self.workers.append(worker)
        return worker

    def log(self, worker: subprocess.Popen) -> str:
        return (self.tmp_path / f"worker{self.workers.index(worker)}.log").read_text()

    def stop(self, worker: subprocess.Popen, how=signal.SIGTERM) -> int:
        worker.send_signal(how)
        return worker.wait(timeout=120)

    def mails(self) -> list[Mail]:
        with self.factory() as session:
            return list(session.scalars(select(Mail).order_by(Mail.id)))

    def jobs(self) -> list[JobRecord]:
        with self.factory() as session:
            return list(session.scalars(select(JobRecord).where(JobRecord.name == "core.send_mail")))

    def running(self) -> list[JobRecord]:
        return [job for job in self.jobs() if job.state == RUNNING]

    def close(self):
        for worker in self.workers:
            if worker.poll() is None:
                worker.kill()
                worker.wait()
        self.engine.dispose()


@pytest.fixture
def inbox():
    return HoldingInbox()


@pytest.fixture
def smtp(inbox):
    server = SMTPServer(inbox, free_port()).start()
    yield server
    inbox.release()
    server.stop()


@pytest.fixture
def installation(tmp_path, initialized_url, smtp):
    made = []

    def make(smtp_timeout: int) -> Installation:
        made.append(Installation(tmp_path, initialized_url, smtp.port, smtp_timeout))
        return made[-1]

    yield make
    for each in made:
        each.close()


def hold_mid_mailing(site: Installation, inbox: HoldingInbox, *options: str) -> subprocess.Popen:
    """Start a worker and wait until both its threads are held mid-send, HOLD_FROM mails into the mailing."""
    inbox.hold_from = HOLD_FROM
    worker = site.start_worker(*options)
    wait_for(lambda: inbox.held == THREADS or worker.poll() is not None, what="both threads to be held")
    assert worker.poll() is None, site.log(worker)
    return worker


def finish_with_a_new_worker(site: Installation, inbox: HoldingInbox) -> None:
    """A new worker sends what is left; then every mail has reached the server exactly once, no job runs."""
    worker = site.start_worker()
    wait_for(lambda: all(m.state == SENT for m in site.mails()), timeout=120, what="every mail to be sent")
    wait_for(lambda: all(j.state == DONE for j in site.jobs()), what="every job to be done")
    assert site.stop(worker) == 0, site.log(worker)
    delivered = Counter(message["Message-ID"] for _, _, message in inbox.messages)
    assert sorted(delivered) == sorted(m.message_id for m in site.mails())
    assert set(delivered.values()) == {1}  # exactly once each
    assert sorted(r[0] for _, r, _ in inbox.messages) == sorted(f"customer{n}@example.es" for n in range(MAILS))
    assert site.running() == []


def test_sigterm_lets_the_running_sends_finish_then_a_new_worker_sends_the_rest(installation, inbox):
    site = installation(smtp_timeout=30)
    worker = hold_mid_mailing(site, inbox, "--grace-period", "60")
    delivered = len(inbox.messages)  # fixed while both threads are held
    in_flight = {job.id for job in site.running()}
    assert len(in_flight) == THREADS
    worker.send_signal(signal.SIGTERM)
    wait_for(lambda: "Shutting down gracefully" in site.log(worker), what="the worker to begin stopping")
    inbox.release()  # the server answers: the two sends in flight finish within the grace period
    assert worker.wait(timeout=120) == 0, site.log(worker)
    jobs = {job.id: job for job in site.jobs()}
    assert {jobs[i].state for i in in_flight} == {DONE} and all(jobs[i].attempts == 1 for i in in_flight)
    assert len(inbox.messages) == delivered + THREADS
    assert site.running() == []
    finish_with_a_new_worker(site, inbox)


def test_sigterm_gives_back_the_sends_that_outlast_the_grace_period(installation, inbox):
    site = installation(smtp_timeout=30)
    worker = hold_mid_mailing(site, inbox, "--grace-period", "1")
    delivered = len(inbox.messages)  # fixed while both threads are held
    in_flight = {job.id for job in site.running()}
    assert site.stop(worker, signal.SIGTERM) == 0, site.log(worker)
    assert "given back to the queue" in site.log(worker)
    jobs = {job.id: job for job in site.jobs()}
    assert {jobs[i].state for i in in_flight} == {QUEUED}
    assert {jobs[i].last_error for i in in_flight} == {"the worker stopped before attempt 1 finished: queued again"}
    assert len(inbox.messages) == delivered and site.running() == []
    inbox.release()  # too late: those connections are gone with the worker
    finish_with_a_new_worker(site, inbox)
    assert all(job.attempts == 2 for job in site.jobs() if job.id in in_flight)


def test_a_killed_worker_s_sends_are_taken_back_after_their_timeout_and_sent_once(installation, inbox):
    site = installation(smtp_timeout=2)  # so the send job's timeout is 20 s
    worker = hold_mid_mailing(site, inbox)
    assert site.stop(worker, signal.SIGKILL) == -signal.SIGKILL
    stranded = site.running()
    assert stranded, "the killed worker left no job running: the test stopped it at the wrong moment"
    inbox.release()
    deadline = max(job.timeout_at for job in stranded)
    wait_for(lambda: utcnow() > deadline, timeout=60, what="the stranded jobs' timeout")
    finish_with_a_new_worker(site, inbox)  # its periodic check takes them back when it starts
    for job in site.jobs():
        if job.id in {j.id for j in stranded}:
            assert job.attempts == 2
            assert job.last_error is None  # done: the error of the lost attempt is cleared


#: ``bottega worker`` sent ``signal`` by itself just after its consumer starts its first thread (the scheduler),
#: while the consumer is still starting the others: the moment a user's Ctrl+C or a service manager's stop can hit.
SIGNAL_WHILE_STARTING = """
    import os, sys
    from huey.consumer import ThreadEnvironment

    from core.cli import main

    sent = int(sys.argv.pop(1))
    create_process = ThreadEnvironment.create_process


    def create_then_signal_on_start(environment, runnable, name):
        thread = create_process(environment, runnable, name)
        if name == "Scheduler":
            start = thread.start

            def start_then_signal():
                start()
                os.kill(os.getpid(), sent)

            thread.start = start_then_signal
        return thread


    ThreadEnvironment.create_process = create_then_signal_on_start
    main()
"""


@pytest.mark.parametrize("how", [signal.SIGINT, signal.SIGTERM])
def test_a_worker_signalled_while_its_threads_start_stops_them_and_exits_cleanly(initialized_url, tmp_path, how):
    config = tmp_path / "bottega.toml"
    config.write_text(f'[database]\nurl = "{initialized_url}"\n[jobs]\nsqlite_path = "{tmp_path / "queue.db"}"\n')
    worker = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(SIGNAL_WHILE_STARTING), str(int(how)), "--config", str(config),
         "worker", "--workers", str(THREADS)],
        cwd=ROOT, capture_output=True, text=True, timeout=120, env={**os.environ, "PYTHONUNBUFFERED": "1"},
        check=False)
    log = worker.stdout + worker.stderr
    assert worker.returncode == 0, log  # not KeyboardInterrupt ("Aborted!", 1) or SystemExit (143) mid-start
    assert f"Received {how.name}" in log and "Consumer exiting." in log
