"""The emulator's HTTP server: werkzeug's threaded server, with HTTP/1.1 keep-alive.

werkzeug's development server answers every request with ``Connection: close``: Python's
``http.server`` cannot tell where an unread request body ends, so werkzeug reads whatever is
left on the socket after the answer and closes it. Each AWS call then pays a new TCP connection
on both sides, and the server a new thread: a third of the emulator's time under a burst of
executions went to accepting connections and starting threads (bench/README.md).

Here each connection keeps its thread and serves request after request, as boto3 expects of an
AWS endpoint. What makes that safe is that the request body is bounded: the application reads
through a stream limited to the request's ``Content-Length`` (or decoded from chunks), and
after the answer the handler reads exactly what the application left of it, never past it,
so the next request line starts where it should. Whenever that cannot be ensured (an HTTP/1.0
client, a client that asks to close, an answer whose length is unknown, a body the client stopped
sending, an error in the application) the connection is closed after the answer, as before.
"""

from __future__ import annotations

import socket
from typing import Any

from moto.moto_server.werkzeug_app import MotoRequestHandler
from werkzeug.exceptions import InternalServerError
from werkzeug.serving import DechunkedInput, ThreadedWSGIServer
from werkzeug.wsgi import LimitedStream

# An idle connection is closed after this many seconds, so a client that never closes its
# connections cannot hold threads forever; boto3 reconnects by itself.
IDLE_TIMEOUT_S = 120.0
# What the handler reads of a body the application left unread, at most, before it gives up on
# the connection (and closes it) rather than read an upload nobody asked for.
MAX_DRAIN_BYTES = 64 * 1024 * 1024
_NO_BODY_STATUSES = frozenset({204, 304})


class KeepAliveRequestHandler(MotoRequestHandler):
    """moto's request handler (headers with underscores kept) serving many requests a connection."""

    protocol_version = "HTTP/1.1"
    timeout = IDLE_TIMEOUT_S
    # The head and a short body leave in one segment: buffered, flushed once an answer is whole,
    # and no Nagle delay on what is flushed.
    wbufsize = 64 * 1024
    disable_nagle_algorithm = True

    def handle_expect_100(self) -> bool:
        # http.server answers ``Expect: 100-continue`` itself; flushed at once, since the client
        # holds the body back until it reads it (boto3 for a second, on every S3 upload).
        self.send_response_only(100)
        self.end_headers()
        self.wfile.flush()
        return True

    def log_error(self, format: str, *args: Any) -> None:
        if format.startswith("Request timed out"):
            return  # an idle connection closed after IDLE_TIMEOUT_S: routine, not an error
        super().log_error(format, *args)

    def run_wsgi(self) -> None:
        if self.request_version != "HTTP/1.1":
            self.close_connection = True
        self.environ = environ = self.make_environ()
        body = _bounded_body(environ, self.rfile)
        if body is None:  # a length that is not a number: the app reads nothing, the connection ends
            self.close_connection = True
        environ["wsgi.input"] = body if body is not None else LimitedStream(self.rfile, 0)
        environ["wsgi.input_terminated"] = True
        answer = _Answer(self)
        try:
            try:
                answer.run(self.server.app, environ)
            except (ConnectionError, socket.timeout):
                self.close_connection = True
                return
            except Exception as exc:  # noqa: BLE001 - the client gets a 500, the log the traceback
                self.close_connection = True
                if answer.status_sent:
                    return
                self.server.log("error", f"Error on request {self.command} {self.path}: {exc!r}")
                answer.run(InternalServerError(), environ)
                return
            if not self.close_connection and not _drained(body):
                self.close_connection = True
        except (ConnectionError, socket.timeout):
            self.close_connection = True


class _Answer:
    """One WSGI answer written to the handler's socket, with a length or in chunks."""

    def __init__(self, handler: KeepAliveRequestHandler) -> None:
        self.handler = handler
        self.status: str | None = None
        self.headers: list[tuple[str, str]] = []
        self.status_sent = False
        self.chunked = False
        self.bodiless = False
        self.declared: int | None = None  # the Content-Length the application gave
        self.written = 0

    def start_response(self, status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
        if exc_info and self.status_sent:
            raise exc_info[1].with_traceback(exc_info[2])
        self.status, self.headers = status, headers
        return self.write

    def _send_head(self) -> None:
        handler = self.handler
        assert self.status is not None, "write() before start_response"
        code_text, _, message = self.status.partition(" ")
        code = int(code_text)
        handler.send_response(code, message)
        has_length = False
        for key, value in self.headers:
            handler.send_header(key, value)
            if key.lower() == "content-length":
                has_length = True
                self.declared = int(value) if value.strip().isdigit() else -1
        self.bodiless = bodiless = handler.command == "HEAD" or 100 <= code < 200 or code in _NO_BODY_STATUSES
        if not (has_length or bodiless):
            if handler.request_version == "HTTP/1.1":
                self.chunked = True
                handler.send_header("Transfer-Encoding", "chunked")
            else:
                handler.close_connection = True  # the end of the body is the end of the connection
        if handler.close_connection:
            handler.send_header("Connection", "close")
        handler.end_headers()
        self.status_sent = True

    def write(self, data: bytes) -> None:
        if not self.status_sent:
            self._send_head()
        if data:
            wfile = self.handler.wfile
            if self.chunked:
                wfile.write(b"%x\r\n" % len(data))
                wfile.write(data)
                wfile.write(b"\r\n")
            else:
                wfile.write(data)
                self.written += len(data)

    def run(self, app: Any, environ: dict[str, Any]) -> None:
        chunks = app(environ, self.start_response)
        try:
            for data in chunks:
                self.write(data)
            if not self.status_sent:
                self.write(b"")
            if self.chunked:
                self.handler.wfile.write(b"0\r\n\r\n")
            elif not self.bodiless and self.declared is not None and self.written != self.declared:
                # A body longer or shorter than its Content-Length: the client cannot tell where
                # the next answer starts, so this connection ends here.
                self.handler.close_connection = True
            self.handler.wfile.flush()
        finally:
            if hasattr(chunks, "close"):
                chunks.close()


def _bounded_body(environ: dict[str, Any], rfile: Any) -> LimitedStream | DechunkedInput | None:
    """The request body as a stream that ends where the body ends; None if that is unknown."""
    if isinstance(environ.get("wsgi.input"), DechunkedInput):
        return environ["wsgi.input"]
    length_text = environ.get("CONTENT_LENGTH", "").strip()
    if not length_text:
        return LimitedStream(rfile, 0)
    if not length_text.isdigit():
        return None
    return LimitedStream(rfile, int(length_text))


def _drained(body: LimitedStream | DechunkedInput | None) -> bool:
    """Read what the application left of the body; False if the connection cannot go on."""
    if body is None:
        return False
    try:
        if isinstance(body, LimitedStream):
            if body.limit - body.tell() > MAX_DRAIN_BYTES:
                return False
            body.exhaust()
            return body.is_exhausted
        left = 0
        while chunk := body.read(64 * 1024):
            left += len(chunk)
            if left > MAX_DRAIN_BYTES:
                return False
        return True
    except Exception:  # noqa: BLE001 - a body cut short: the connection ends here
        return False


class EmulatorServer(ThreadedWSGIServer):
    """A thread per connection (never a fixed pool: a long poll or a synchronous execution holds
    its thread, and the engine's tasks call this same server); stopping does not wait for idle
    connections to close."""

    block_on_close = False


def make_emulator_server(host: str, port: int, app: Any) -> EmulatorServer:
    return EmulatorServer(host, port, app, handler=KeepAliveRequestHandler)
