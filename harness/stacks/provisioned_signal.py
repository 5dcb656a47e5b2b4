"""Provisioning done, said over HTTP.

In the compose stack every container starts at once. The provisioning job listens on a port
from its start; a request to it is held until every resource exists and the state machine is
deployed, then answered 200. The apps' launcher (``python -m harness app NAME``, given
``PROVISIONED_URL``) makes that request and starts the app once it is answered: an app still
starts only once its resources exist (docs/app-contract.md), while its container, started with
the others, is already up when they do. Held rather than asked again and again: the launchers
wait without spending the CPU the provisioning needs, and learn the moment it is done.
"""

from __future__ import annotations

import signal
import threading
import time
import urllib.error
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from harness.waiting import DeadlineExceeded

# The line the job prints, and answers with, once done: the compose stack's ready line for it.
PROVISIONED = "provisioned"
# How long one request is held before it is answered 503 (not yet) and the launcher asks again.
HOLD_SECONDS = 5.0
# Between two tries while nothing listens yet (the job's container is starting).
RETRY_SECONDS = 0.1


class ProvisionedSignal:
    """The job's side: listens on ``port`` (all interfaces) at once, answers once ``done()``."""

    def __init__(self, port: int) -> None:
        self._done = threading.Event()
        self._body = b""
        signal_ = self

        class Answer(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - the name http.server calls
                done = signal_._done.wait(HOLD_SECONDS)
                body = signal_._body if done else b"provisioning\n"
                self.send_response(200 if done else 503)
                self.send_header("Content-Type", "text/plain; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - http.server's signature
                pass  # one line per launcher's request would bury the job's own log

        self._server = ThreadingHTTPServer(("0.0.0.0", port), Answer)
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, name="provisioned-signal", daemon=True).start()

    def done(self, text: str) -> None:
        self._body = text.encode("utf-8")
        self._done.set()

    def serve_until_stopped(self) -> None:
        """Keep answering (an app's container restarted later asks again) until SIGTERM or SIGINT."""
        stopped = threading.Event()
        signal.signal(signal.SIGTERM, lambda *_: stopped.set())
        signal.signal(signal.SIGINT, lambda *_: stopped.set())
        stopped.wait()

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()


def wait_provisioned(url: str, timeout: float) -> None:
    """The launcher's side: return once ``url`` answers 200; raise ``DeadlineExceeded`` if not in time."""
    deadline = time.monotonic() + timeout
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            raise DeadlineExceeded(f"waited {timeout:g} s for provisioning to be done at {url}, in vain")
        try:
            with urllib.request.urlopen(url, timeout=min(left, HOLD_SECONDS + 1)) as answer:
                if answer.status == 200:
                    return
        except urllib.error.HTTPError as error:
            if error.code == 503:
                continue  # held the whole time, not done yet: ask again at once
            time.sleep(RETRY_SECONDS)
        except OSError:
            time.sleep(RETRY_SECONDS)  # not listening yet, or a request that timed out
