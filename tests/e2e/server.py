"""The browser tests' server, in a process of its own (python -m tests.e2e.server CONFIG PORT).

A separate process rather than a thread: CPython 3.11 can corrupt its
compiler state when two threads compile code at once (Jinja templates in a
server thread, pytest in the main one), failing the run after the tests.
"""
import sys

from werkzeug.serving import run_simple

from core.config import load_config
from core.lifecycle.database import open_engine
from core.web.app import Dispatcher
from tests.lifecycle_helpers import fixture_catalog


def main() -> None:
    config_path, port = sys.argv[1], int(sys.argv[2])
    config = load_config(config_path, environ={})
    dispatcher = Dispatcher(config, fixture_catalog("alpha"), open_engine(config.database_url))
    dispatcher.current()
    run_simple("127.0.0.1", port, dispatcher, threaded=True)


if __name__ == "__main__":
    main()
