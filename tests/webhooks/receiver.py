"""A real HTTP receiver on loopback for webhook tests: it records each request and answers from a script."""
from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

HANG = "hang"  # answer nothing until the test ends (the sender's timeout fires)


@dataclass(frozen=True)
class Received:
    at: float  # time.monotonic() when it arrived
    path: str
    headers: dict
    body: bytes


class Receiver:
    """``answers``: one per request, in order (a status code, ``HANG``, or ``("redirect", url)``); then 200."""

    def __init__(self, answers=()):
        self.answers = list(answers)
        self.requests: list[Received] = []
        self.changed = threading.Condition()
        self.release = threading.Event()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                with receiver.changed:
                    receiver.requests.append(Received(time.monotonic(), self.path, dict(self.headers), body))
                    answer = receiver.answers.pop(0) if receiver.answers else 200
                    receiver.changed.notify_all()
                if answer == HANG:
                    receiver.release.wait(60)
                    return
                if isinstance(answer, tuple):
                    self.send_response(302)
                    self.send_header("Location", answer[1])
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                text = b"ok" if answer < 300 else b"receiver says no"
                self.send_response(answer)
                self.send_header("Content-Length", str(len(text)))
                self.end_headers()
                self.wfile.write(text)

            def log_message(self, *_args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_port}/hook"

    def wait_for(self, count: int, timeout: float = 60) -> list[Received]:
        with self.changed:
            assert self.changed.wait_for(lambda: len(self.requests) >= count, timeout), \
                f"{len(self.requests)} requests arrived, {count} expected within {timeout} s"
            return list(self.requests)

    def __enter__(self) -> Receiver:
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.release.set()
        self.server.shutdown()
        self.server.server_close()
