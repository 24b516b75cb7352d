"""How long the request confirming a web import takes to answer now that the import is a queued task, against
the whole import it queues.

Through the web app (Flask's test client, in process) over a SQLite file in a
temporary folder (or ``--url``), a contacts user uploads a file of N
partners, looks at the preview, confirms it; a worker (huey's consumer in a
thread, on a SQLite queue) then runs the import. Printed: the time the
confirming request took to answer (it only queues the task), the time from
the confirmation until the task page says it finished (the whole import, as
the request took before), and their ratio; then the progress the page showed
along the way (rows done, polled every 0.2 s).
"""
from __future__ import annotations

import argparse
import io
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from core.catalog import Catalog  # noqa: E402
from core.lifecycle import Lifecycle  # noqa: E402
from core.sessions import make_session_factory  # noqa: E402
from core.testing import TestData, WebClient, initialized_database, queued_tasks, web_config  # noqa: E402
from core.web.app import WebState, build_app  # noqa: E402


def csv_file(rows: int) -> bytes:
    lines = ["Name,Email,City,Country"]
    lines += [f"Customer {n},customer{n}@example.es,Madrid,ES" for n in range(rows)]
    return ("\n".join(lines) + "\n").encode()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=20_000)
    parser.add_argument("--url", help="an empty database instead of a temporary SQLite file")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = args.url or f"sqlite:///{folder}/bench.db"
        catalog = Catalog.discover()
        engine = initialized_database(url, catalog, ["contacts"])
        registry = Lifecycle(engine, catalog).registry()
        app = build_app(WebState(web_config(Path(folder)), catalog, engine, registry, make_session_factory(engine)))
        TestData(registry, make_session_factory(engine)).user("clerk", groups=["contacts.group_user"])
        client = WebClient(app)
        client.login("clerk")
        client.get("/contacts/partners/import")
        uploaded = client.post("/contacts/partners/import", {"file": (io.BytesIO(csv_file(args.rows)), "bench.csv")},
                               content_type="multipart/form-data")
        preview = uploaded.headers["Location"]
        started = time.perf_counter()
        client.get(preview)
        checked = time.perf_counter() - started
        with queued_tasks(app, catalog):
            started = time.perf_counter()
            answer = client.post(preview, {"action": "import", "column-1": "name", "column-2": "email",
                                           "column-3": "city", "column-4": "country_code"})
            answered = time.perf_counter() - started
            task = answer.headers["Location"]
            seen = []
            while not (status := client.get(f"{task}/status").get_json())["finished"]:
                if not seen or seen[-1] != status["done"]:
                    seen.append(status["done"])
                time.sleep(0.2)
            whole = time.perf_counter() - started
        engine.dispose()
    print(f"{args.rows:,} partners, {'SQLite' if not args.url else args.url.split(':')[0]}; the final state: "
          f"{status['state']}, {status['done']:,} of {status['total']:,} rows")
    print(f"preview (every line checked, nothing stored): {checked:8.2f} s")
    print(f"confirming request answers (task queued):     {answered:8.3f} s")
    print(f"whole import, confirmation to finished:       {whole:8.2f} s")
    print(f"ratio answer / whole import:                  {answered / whole:8.4f}")
    print(f"progress seen on the way: {', '.join(f'{done:,}' for done in seen)}")


if __name__ == "__main__":
    main()
