"""The emulator's admin and state endpoints (``/moto-api/...``), closed unless a run opens them.

moto serves, on the same port as the AWS APIs and without authentication, its whole state
(``GET /moto-api/data.json``: every secret's value included), a reset, a recorder and its
configuration. Nothing the stacks do needs them (Step Functions execution is switched on inside
the process), so they answer 403 unless ``EMULATOR_ADMIN_API=open`` is set for the run.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from typing import Any

SETTING = "EMULATOR_ADMIN_API"
OPEN = "open"
PREFIX = "/moto-api"
# moto also routes a request to its admin app by Host (its url base motoapi.amazonaws.com).
ADMIN_HOSTS = re.compile(r"(moto_api|motoapi\.amazonaws\.com)(:\d+)?", re.IGNORECASE)


def admin_api_open(value: str | None) -> bool:
    text = (value or "").strip().lower()
    if text not in ("", OPEN, "closed"):
        raise ValueError(f"{SETTING} must be '{OPEN}' or 'closed' (the default), got {text[:20]!r}")
    return text == OPEN


def is_admin_request(path: str, host: str) -> bool:
    path = re.sub("/+", "/", path)  # werkzeug would redirect //moto-api to /moto-api
    return path == PREFIX or path.startswith(PREFIX + "/") or bool(ADMIN_HOSTS.fullmatch(host.strip()))


def guard(app: Callable[..., Iterable[bytes]]) -> Callable[..., Iterable[bytes]]:
    """A WSGI app that answers 403 on the admin paths and passes everything else to ``app``."""
    body = json.dumps(
        {"message": f"the emulator's admin API is closed; set {SETTING}={OPEN} for a run that needs it"}
    ).encode("utf-8")

    def guarded(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        if is_admin_request(environ.get("PATH_INFO", ""), environ.get("HTTP_HOST", "")):
            start_response("403 Forbidden", [("Content-Type", "application/json"), ("Content-Length", str(len(body)))])
            return [body]
        return app(environ, start_response)

    return guarded


def guarded_proxy_handler(handler: type) -> type:
    """moto's proxy request handler, with the same admin paths and hosts answered 403."""

    class GuardedProxyRequestHandler(handler):  # type: ignore[misc, valid-type]
        def do_GET(self) -> None:
            host, path = self._get_host_and_path(self)
            if is_admin_request(path, host.split("://", 1)[-1]):
                body = json.dumps({"message": f"the emulator's admin API is closed; set {SETTING}={OPEN}"}).encode()
                self.send_response(403)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
                return
            super().do_GET()

        do_HEAD = do_POST = do_PUT = do_PATCH = do_DELETE = do_OPTIONS = do_GET

    return GuardedProxyRequestHandler
