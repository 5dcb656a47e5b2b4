"""Container healthcheck: exits 0 when a URL answers or a heartbeat file is fresh.

Written in Python rather than curl so it works in python:3.12-slim, which has no curl.
  python docker/healthcheck.py --url http://localhost:4566/moto-api/
  python docker/healthcheck.py --heartbeat /tmp/heartbeat --max-age 30

Docker runs it in every container at every interval for as long as the stack is up, so it
imports only ``socket`` for a URL (urllib alone costs a probe several times its work) and
speaks the one HTTP request it needs itself.
"""

from __future__ import annotations

import argparse
import socket
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit


def http_status(url: str, timeout: float) -> int | None:
    """The status of ``GET url`` (HTTP/1.0, plain http), or None when nothing answers."""
    parts = urlsplit(url)
    if parts.scheme != "http" or not parts.hostname:
        raise ValueError(f"--url must be a plain http:// URL with a host, got {url!r}")
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    request = f"GET {path} HTTP/1.0\r\nHost: {parts.netloc}\r\nConnection: close\r\n\r\n".encode("ascii")
    try:
        with socket.create_connection((parts.hostname, parts.port or 80), timeout=timeout) as conn:
            conn.sendall(request)
            # The status line is all that is read: "HTTP/1.1 403 FORBIDDEN".
            status_line = conn.makefile("rb").readline(256).split()
    except OSError:
        return None
    if len(status_line) < 2 or not status_line[0].startswith(b"HTTP/") or not status_line[1].isdigit():
        return None
    return int(status_line[1])


def url_ok(url: str, timeout: float) -> bool:
    # Any answer below 500 means the server is up and serving: a 404 or 401 from a path the
    # service does not define (or guards with a key) still proves it answers.
    status = http_status(url, timeout)
    return status is not None and status < 500


def heartbeat_fresh(path: Path, max_age: float) -> bool:
    try:
        return time.time() - path.stat().st_mtime <= max_age
    except OSError:
        return False


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url")
    parser.add_argument("--heartbeat", type=Path)
    parser.add_argument("--max-age", type=float, default=30.0, help="seconds")
    parser.add_argument("--timeout", type=float, default=3.0, help="seconds, for --url")
    args = parser.parse_args()
    if not (args.url or args.heartbeat):
        parser.error("give --url or --heartbeat")
    try:
        ok = (not args.url or url_ok(args.url, args.timeout)) and (
            not args.heartbeat or heartbeat_fresh(args.heartbeat, args.max_age)
        )
    except ValueError as exc:
        parser.error(str(exc))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
