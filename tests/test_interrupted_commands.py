"""`bottega` commands killed halfway (kill -9, real processes): no staged file is left for good, and a
config file that missed the database's change is noticed before anything is undone."""
import signal
import subprocess
import time
from contextlib import contextmanager

import pytest

from .lifecycle_helpers import (
    PROCESS_DEADLINE,
    bottega_process,
    query,
    read_until,
    run_bottega,
    run_bottega_at_terminal,
    write_config,
)

#: Run before the command: it dies (SIGKILL) after its database commit, before its config file is moved.
KILLED_BEFORE_THE_CONFIG_MOVES = (
    "import os, signal\n"
    "from core.config import EnabledAddonsWrite\n"
    "EnabledAddonsWrite.commit = lambda self: os.kill(os.getpid(), signal.SIGKILL)"
)


@pytest.fixture
def site(tmp_path, initialized_url):
    """A config file over an initialized database, and `bottega` run against it from ``tmp_path``."""
    config = write_config(tmp_path, initialized_url)

    def run(*args, code=None):
        return run_bottega(config, *args, cwd=tmp_path, code=code)

    run.config, run.url, run.folder = config, initialized_url, tmp_path
    return run


def states(url):
    return dict(query(url, "SELECT name, state FROM core_addon"))


def staged_files(folder):
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


def lose_the_install_of_contacts(site):
    killed = site("addons", "install", "contacts", code=KILLED_BEFORE_THE_CONFIG_MOVES)
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    assert states(site.url) == {"contacts": "installed"}
    assert "enabled = []" in site.config.read_text()


@contextmanager
def uninstall_waiting_for_an_answer(site):
    """`bottega addons uninstall contacts` in its own process, stopped at "Go ahead?" (its new config is staged)."""
    assert site("addons", "install", "contacts").returncode == 0
    waiting = bottega_process(site.config, "addons", "uninstall", "contacts", cwd=site.folder,
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        read_until(waiting.stdout, "Go ahead?")
        yield waiting
    finally:
        if waiting.poll() is None:
            waiting.kill()
        waiting.wait()
        waiting.stdout.close()
        waiting.stdin.close()


def test_a_staged_config_file_left_by_a_killed_command_is_removed_by_the_next_one(site):
    with uninstall_waiting_for_an_answer(site) as waiting:
        waiting.kill()
    [orphan] = staged_files(site.folder)
    assert orphan.startswith(f".bottega.toml.{waiting.pid}.")
    uninstalled = site("addons", "uninstall", "contacts", "--yes")
    assert uninstalled.returncode == 0, uninstalled.stderr
    assert staged_files(site.folder) == []
    assert 'enabled = []' in site.config.read_text()


def terminate(process: subprocess.Popen) -> int:
    """``kill`` it, again if needed: a signal landing just before a blocking read waits for that read to end."""
    stop = time.monotonic() + PROCESS_DEADLINE
    while True:
        process.terminate()
        try:
            return process.wait(timeout=1)
        except subprocess.TimeoutExpired:
            if time.monotonic() > stop:
                raise


def test_a_command_stopped_with_sigterm_cleans_up_at_once(site):
    with uninstall_waiting_for_an_answer(site) as waiting:
        assert len(staged_files(site.folder)) == 1
        assert terminate(waiting) == 128 + signal.SIGTERM
    assert staged_files(site.folder) == []
    assert states(site.url) == {"contacts": "installed"}


def test_apply_after_a_lost_install_says_so_and_does_not_uninstall_without_a_yes(site):
    lose_the_install_of_contacts(site)
    lost = f"the last install of contacts did not reach {site.config}"

    planned = site("addons", "plan")
    assert planned.stdout.splitlines()[0] == f"Note: {lost}, so applying it would uninstall contacts"

    refused = site("addons", "apply")
    assert refused.returncode == 2
    assert refused.stderr == (f"error: {lost}, so applying it would uninstall contacts; to keep it, set enabled = "
                              f'["contacts"] under [addons] in {site.config}; to go ahead, run '
                              "`bottega addons apply --yes`\n")
    assert states(site.url) == {"contacts": "installed"}

    status, output = run_bottega_at_terminal(site.config, "addons", "apply", cwd=site.folder, answer="n")
    assert status == 1, output
    assert f"Warning: {lost}, so applying it would uninstall contacts. Go ahead? [y/N]" in output
    assert states(site.url) == {"contacts": "installed"}

    applied = site("addons", "apply", "--yes")
    assert applied.returncode == 0, applied.stderr
    assert f"Note: {lost}, so applying it would uninstall contacts" in applied.stdout.splitlines()
    assert states(site.url) == {"contacts": "deactivated"}
    again = site("addons", "apply")
    assert (again.returncode, again.stdout) == (0, "Nothing to do: the database already matches.\n")


def test_the_question_is_asked_at_a_terminal_and_yes_goes_ahead(site):
    lose_the_install_of_contacts(site)
    status, output = run_bottega_at_terminal(site.config, "addons", "apply", cwd=site.folder, answer="y")
    assert status == 0, output
    assert "Go ahead? [y/N]" in output
    assert states(site.url) == {"contacts": "deactivated"}


def test_the_next_install_writes_the_lost_install_into_the_file_too(site):
    lose_the_install_of_contacts(site)
    installed = site("addons", "install", "products")
    assert installed.returncode == 0, installed.stderr
    assert 'enabled = ["contacts", "products"]' in site.config.read_text()
    assert f"Note: the last install of contacts did not reach {site.config}; it is written there now" in (
        installed.stdout)
    assert site("addons", "apply").stdout == "Nothing to do: the database already matches.\n"


def test_a_file_edited_after_the_lost_install_still_gets_the_question(site):
    lose_the_install_of_contacts(site)
    site.config.write_text(site.config.read_text().replace("enabled = []", 'enabled = ["products"]'))
    refused = site("addons", "apply")
    assert refused.returncode == 2
    assert "the last install of contacts did not reach" in refused.stderr
    assert states(site.url) == {"contacts": "installed"}
    applied = site("addons", "apply", "--yes")
    assert applied.returncode == 0, applied.stderr
    assert states(site.url) == {"contacts": "deactivated", "products": "installed"}


def test_a_lost_uninstall_is_noticed_too(site):
    assert site("addons", "install", "products").returncode == 0
    killed = site("addons", "uninstall", "products", "--yes", code=KILLED_BEFORE_THE_CONFIG_MOVES)
    assert killed.returncode == -signal.SIGKILL
    refused = site("addons", "apply")
    assert refused.returncode == 2
    assert refused.stderr.startswith(f"error: the last uninstall of products did not reach {site.config}, so "
                                     "applying it would install products again;")
    assert states(site.url)["products"] == "deactivated"


def test_a_completed_command_leaves_nothing_to_notice(site):
    assert site("addons", "install", "contacts").returncode == 0
    assert query(site.url, "SELECT count(*) FROM core_config_intent") == [(0,)]
    assert site("addons", "apply").stdout == "Nothing to do: the database already matches.\n"
