"""Container healthcheck: exits 0 when a URL answers or a heartbeat file is fresh.

Written in Python rather than curl so it works in python:3.12-slim, which has no curl.
  python docker/healthcheck.py --url http://localhost:4566/moto-api/
  python docker/healthcheck.py --heartbeat /tmp/heartbeat --max-age 30
"""

from __future__ import annotations

import argparse
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path


def url_ok(url: str, timeout: float) -> bool:
    # Any answer below 500 means the server is up and serving: a 404 or 401 from a path the
    # service does not define (or guards with a key) still proves it answers.
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status < 500
    except urllib.error.HTTPError as error:
        return error.code < 500
    except OSError:
        return False


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
    ok = (not args.url or url_ok(args.url, args.timeout)) and (
        not args.heartbeat or heartbeat_fresh(args.heartbeat, args.max_age)
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
