"""A local HTTP server on a free loopback port, for tests that need something to answer."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@contextmanager
def serving(handler: type[BaseHTTPRequestHandler]) -> Iterator[str]:
    """Serve with ``handler`` until the block ends; yields the server's base URL."""
    with running(ThreadingHTTPServer(("127.0.0.1", 0), handler), "127.0.0.1") as url:
        yield url


@contextmanager
def running(server: Any, host: str) -> Iterator[str]:
    """Run ``server`` (a socketserver) on a thread until the block ends; yields its base URL at ``host``."""
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://{host}:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
