"""Run the sec-api.io Query API stand-in.

``python -m sec_api_standin [--host H] [--port P] [--rate-limit N]``. Port 0 (the default) binds
a free port; the first line on stdout is ``READY http://H:P`` once the server accepts requests.
The expected key is read from ``SEC_API_KEY`` in the environment, never from the command line,
where every user on the machine could read it. ``--rate-limit`` (requests per second, default
``SEC_STANDIN_RATE_LIMIT`` or 20; 0 turns it off) is enforced with 429 answers.
"""

from __future__ import annotations

import argparse
import logging
import math
import os
import re
import signal
import sys

from werkzeug.serving import WSGIRequestHandler, make_server

from sec_api_standin.app import StandinState, create_app
from sec_api_standin.filings import FilingStore
from sec_api_standin.log_redaction import MIN_KEY_LENGTH, RedactSecret
from sec_api_standin.rate_limit import TokenBucket

READY_PREFIX = "READY "
KEY_ENV = "SEC_API_KEY"
RATE_LIMIT_ENV = "SEC_STANDIN_RATE_LIMIT"
DEFAULT_RATE_LIMIT = 20.0
_QUERY_STRING = re.compile(r"\?[^\s'\"]*")


class _QuietRequestHandler(WSGIRequestHandler):
    # werkzeug's access log prints the full request line, query string and ?token= included;
    # the app logs method, path and status itself instead.
    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        pass

    # A request line the HTTP server cannot parse is quoted back in the error page and its log
    # line; drop any query string from it first, since that is where ?token= travels.
    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        if message:
            message = _QUERY_STRING.sub("?(query omitted)", message)
        super().send_error(code, message, explain)


def _refuse(reason: str) -> None:
    # One line, before logging is set up, so a supervisor's log shows exactly why.
    print(f"sec_api_standin: {reason}", file=sys.stderr)


def _rate_limit(text: str) -> float:
    value = float(text)
    if not math.isfinite(value) or value < 0:
        raise argparse.ArgumentTypeError("must be 0 (off) or a positive number per second")
    return value


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m sec_api_standin", description=__doc__.splitlines()[0]
    )
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument(
        "--rate-limit",
        type=_rate_limit,
        default=None,
        help="requests per second before 429, 0 for none "
        f"(default ${RATE_LIMIT_ENV} or {DEFAULT_RATE_LIMIT:g})",
    )
    args = parser.parse_args(argv)

    api_key = os.environ.get(KEY_ENV, "")
    if not api_key.strip():
        _refuse(f"set {KEY_ENV} to the API key clients must present")
        return 2
    if len(api_key) < MIN_KEY_LENGTH:
        # Never echo it: the length is all the message says.
        _refuse(f"{KEY_ENV} is {len(api_key)} characters; a key shorter than {MIN_KEY_LENGTH} "
                "cannot be kept out of the log")
        return 2
    rate = args.rate_limit
    if rate is None:
        try:
            rate = _rate_limit(os.environ.get(RATE_LIMIT_ENV, str(DEFAULT_RATE_LIMIT)))
        except (ValueError, argparse.ArgumentTypeError):
            _refuse(f"{RATE_LIMIT_ENV} must be 0 (off) or a positive number")
            return 2

    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(RedactSecret(api_key))
    logging.basicConfig(level=logging.INFO, handlers=[handler])

    state = StandinState(
        api_key=api_key,
        store=FilingStore.from_directory(),
        bucket=TokenBucket(rate) if rate > 0 else None,
    )
    server = make_server(
        args.host, args.port, create_app(state), threaded=True, request_handler=_QuietRequestHandler
    )

    def stop(signum: int, frame: object) -> None:
        raise SystemExit(0)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    print(f"{READY_PREFIX}http://{args.host}:{server.server_address[1]}", flush=True)
    try:
        server.serve_forever()
    finally:
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
