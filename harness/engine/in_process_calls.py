"""The interpreter's own AWS calls (an SQS task's SendMessage ...) answered inside the emulator.

moto's Step Functions interpreter makes a task's call with a boto3 client pointed at this very
server (``localhost:$MOTO_PORT``): the request left through a socket, a thread of the server read
and parsed it, and the answer came back the same way. Under a burst of callback executions that
transport was a tenth of the emulator's time, and two hand-overs between threads per task.

Here the emulator, once it has built its WSGI application, registers it (``serve``), and each of
the interpreter's clients (``harness/engine/sdk_client_reuse.py``) hands its requests to that
application directly, at the point where botocore would send them: the same signed request,
the same application (admin guard, service routing, moto's handlers and this engine's
corrections), the same answer, parsed by botocore as before. Only the socket and the server's
thread are skipped. A request with a header spelt with an underscore (moto's server keeps those
its own way) still goes over HTTP.
"""

from __future__ import annotations

import io
import logging
import sys
from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import unquote, urlsplit

from botocore.awsrequest import AWSPreparedRequest, AWSResponse
from moto.core.request import PRESERVED_HEADER_NAMES_ENVIRON_KEY
from werkzeug.exceptions import InternalServerError

log = logging.getLogger(__name__)
WsgiApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]

_app: WsgiApp | None = None


def serve(app: WsgiApp | None) -> None:
    """Answer the interpreter's calls with ``app`` from now on (None: over HTTP again)."""
    global _app
    _app = app


def _wsgi_text(text: str) -> str:
    # PEP 3333: environ strings are bytes decoded as latin-1 (werkzeug's "encoding dance").
    return text.encode("utf-8").decode("latin-1")


def environ_for(request: AWSPreparedRequest) -> dict[str, Any] | None:
    """The WSGI environment werkzeug's server would build for ``request``; None if it cannot
    be built the same way here."""
    if any("_" in name for name in request.headers):
        return None  # moto's server keeps such a header's spelling its own way: leave it to it
    body = request.body
    if body is None:
        body = b""
    elif isinstance(body, str):
        body = body.encode("utf-8")
    elif hasattr(body, "read"):  # a stream (an S3 upload's aws-chunked body): what it would send
        body = body.read()
        body = body.encode("utf-8") if isinstance(body, str) else body
    if not isinstance(body, bytes | bytearray):
        return None
    url = urlsplit(request.url)
    raw_uri = url.path + (f"?{url.query}" if url.query else "")
    environ: dict[str, Any] = {
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": url.scheme or "http",
        "wsgi.input": io.BytesIO(bytes(body)),
        "wsgi.input_terminated": True,
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": True,
        "wsgi.multiprocess": False,
        "wsgi.run_once": False,
        "REQUEST_METHOD": request.method,
        "SCRIPT_NAME": "",
        "PATH_INFO": _wsgi_text(unquote(url.path)),
        "QUERY_STRING": _wsgi_text(url.query),
        "REQUEST_URI": _wsgi_text(raw_uri),
        "RAW_URI": _wsgi_text(raw_uri),
        "REMOTE_ADDR": "127.0.0.1",
        "REMOTE_PORT": 0,
        "SERVER_NAME": url.hostname or "localhost",
        "SERVER_PORT": str(url.port or 80),
        "SERVER_PROTOCOL": "HTTP/1.1",
        PRESERVED_HEADER_NAMES_ENVIRON_KEY: {},
    }
    for name, value in request.headers.items():
        text = value.decode("latin-1") if isinstance(value, bytes) else str(value)
        key = name.upper().replace("-", "_")
        if key not in ("CONTENT_TYPE", "CONTENT_LENGTH"):
            key = f"HTTP_{key}"
            if key in environ:
                text = f"{environ[key]},{text}"
        environ[key] = text.replace("\r\n", "")
    # What Python's HTTP client adds as it sends a request botocore prepared.
    environ.setdefault("HTTP_HOST", url.netloc)
    environ.setdefault("HTTP_ACCEPT_ENCODING", "identity")
    if "CONTENT_LENGTH" not in environ and (body or request.method in ("PATCH", "POST", "PUT")):
        environ["CONTENT_LENGTH"] = str(len(body))
    return environ


def _run(app: WsgiApp, environ: dict[str, Any]) -> tuple[int, list[tuple[str, str]], bytes]:
    answer: dict[str, Any] = {}
    chunks: list[bytes] = []

    def start_response(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Callable[[bytes], None]:
        answer["status"], answer["headers"] = status, headers
        return chunks.append

    body = app(environ, start_response)
    try:
        chunks.extend(body)
    finally:
        close = getattr(body, "close", None)
        if close is not None:
            close()
    return int(answer["status"].split(" ", 1)[0]), answer["headers"], b"".join(chunks)


class _Body(io.BytesIO):
    def stream(self, *args: Any, **kwargs: Any) -> Iterable[bytes]:
        data = self.read()
        if data:
            yield data


def answer_in_process(request: AWSPreparedRequest, **kwargs: Any) -> AWSResponse | None:
    """botocore's ``before-send`` hook: the emulator's answer to ``request``, or None to send it."""
    app = _app
    if app is None:
        return None
    environ = environ_for(request)
    if environ is None:
        return None
    try:
        status, headers, body = _run(app, environ)
    except Exception:  # noqa: BLE001 - as the server answers an application's exception: a 500
        log.exception("Error on the interpreter's request %s %s", request.method, request.url)
        status, headers, body = _run(InternalServerError(), environ)
    if request.method == "HEAD":
        body = b""
    joined: dict[str, str] = {}
    for name, value in headers:  # repeated headers as an HTTP client reads them: one, comma-joined
        key = next((k for k in joined if k.lower() == name.lower()), name)
        joined[key] = f"{joined[key]}, {value}" if key in joined else value
    return AWSResponse(request.url, status, joined, _Body(body))
