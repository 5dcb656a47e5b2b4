"""Provisioning done, said over HTTP.

In the compose stack every container starts at once. The provisioning job, once every resource
exists and the state machine is deployed, answers HTTP on a port until it is stopped; the apps'
launcher (``python -m harness app NAME``, given ``PROVISIONED_URL``) waits for that answer before
it starts the app. So an app still starts only once its resources exist (docs/app-contract.md),
while its container, started with the others, is already up when they do.
"""

from __future__ import annotations

import signal
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

# The line the job prints, and answers with, once done: the compose stack's ready line for it.
PROVISIONED = "provisioned"


def answer_until_stopped(port: int, text: str) -> None:
    """Answer every GET on ``port`` (all interfaces) with 200 and ``text`` until SIGTERM or SIGINT."""
    body = text.encode("utf-8")

    class Answer(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - the name http.server calls
            self.send_response(200)
            self.send_header("Content-Type", "text/plain; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - http.server's signature
            pass  # one line per launcher's look would bury the job's own log

    server = ThreadingHTTPServer(("0.0.0.0", port), Answer)
    serving = threading.Thread(target=server.serve_forever, name="provisioned-signal", daemon=True)
    serving.start()
    stopped = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stopped.set())
    signal.signal(signal.SIGINT, lambda *_: stopped.set())
    try:
        stopped.wait()
    finally:
        server.shutdown()
        server.server_close()
