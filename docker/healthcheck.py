"""Container healthcheck: exits 0 when a URL answers or a heartbeat file is fresh, 1 when not.

Written in Python rather than curl so it works in python:3.12-slim, which has no curl.
  python -I -S docker/healthcheck.py --url http://localhost:4566/moto-api/ [--timeout 3]
  python -I -S docker/healthcheck.py --heartbeat /tmp/heartbeat [--max-age 30]

Docker runs it in every container at every interval for as long as the stack is up, so it costs
as little as Python can: started without site-packages or the environment (``-I -S``: it needs
the standard library only), it imports nothing it does not use (not even argparse, whose regular
expressions cost more than the check), and speaks the one HTTP request it makes itself.
"""

from __future__ import annotations

import os
import sys
import time

USAGE = "usage: healthcheck.py (--url URL [--timeout SECONDS] | --heartbeat FILE [--max-age SECONDS])"
DEFAULTS = {"--timeout": "3", "--max-age": "30"}


class UsageError(ValueError):
    """The command line is not one this probe can run."""


def http_status(url: str, timeout: float) -> int | None:
    """The status of ``GET url`` (HTTP/1.0, plain http), or None when nothing answers."""
    import socket
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    if parts.scheme != "http" or not parts.hostname:
        raise UsageError(f"--url must be a plain http:// URL with a host, got {url!r}")
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


def heartbeat_fresh(path: str, max_age: float) -> bool:
    try:
        return time.time() - os.stat(path).st_mtime <= max_age
    except OSError:
        return False


def options(argv: list[str]) -> dict[str, str]:
    if len(argv) % 2:
        raise UsageError(f"{argv[-1]} needs a value")
    given = dict(zip(argv[::2], argv[1::2]))
    unknown = sorted(set(given) - {"--url", "--heartbeat", *DEFAULTS})
    if unknown:
        raise UsageError(f"unknown option(s) {', '.join(unknown)}")
    if ("--url" in given) == ("--heartbeat" in given):
        raise UsageError("give --url or --heartbeat, one of them")
    return {**DEFAULTS, **given}


def seconds(given: dict[str, str], name: str) -> float:
    try:
        value = float(given[name])
    except ValueError:
        raise UsageError(f"{name} takes a number of seconds, got {given[name]!r}") from None
    if not 0 < value < float("inf"):
        raise UsageError(f"{name} must be above 0 and finite, got {given[name]!r}")
    return value


def main(argv: list[str]) -> int:
    try:
        given = options(argv)
        if "--url" in given:
            return 0 if url_ok(given["--url"], seconds(given, "--timeout")) else 1
        return 0 if heartbeat_fresh(given["--heartbeat"], seconds(given, "--max-age")) else 1
    except UsageError as exc:
        print(f"{USAGE}\nerror: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
