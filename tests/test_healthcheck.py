"""docker/healthcheck.py, the compose stack's probe, run as Docker runs it: a process whose exit
status says healthy (0) or not (1), against real servers and files."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest

from harness.stacks.processes import free_port
from tests.http_fixtures import serving

SCRIPT = Path(__file__).resolve().parent.parent / "docker" / "healthcheck.py"


def probe(*args: str) -> subprocess.CompletedProcess[str]:
    # As docker-compose.yml runs it: no site-packages, no environment.
    return subprocess.run([sys.executable, "-I", "-S", str(SCRIPT), *args], capture_output=True, text=True,
                          timeout=30)


def unhealthy(*args: str) -> bool:
    """Said unhealthy (status 1), not crashed saying so."""
    done = probe(*args)
    return done.returncode == 1 and "Traceback" not in done.stderr


def answering(status: int) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802
            self.send_response(status)
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    return Handler


@contextmanager
def not_http() -> Iterator[str]:
    """A server that accepts connections and answers with something that is not HTTP."""
    listener = socket.create_server(("127.0.0.1", 0))

    def answer() -> None:
        while True:
            try:
                conn, _ = listener.accept()
            except OSError:
                return
            with conn:
                conn.recv(1024)
                conn.sendall(b"SSH-2.0-OpenSSH\r\n")

    threading.Thread(target=answer, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}/"
    finally:
        listener.close()


@pytest.mark.parametrize("status", [200, 403, 404])
def test_a_server_answering_below_500_is_healthy(status: int) -> None:
    with serving(answering(status)) as url:
        assert probe("--url", url + "/moto-api/").returncode == 0


def test_a_server_failing_is_not_healthy() -> None:
    with serving(answering(500)) as url:
        assert unhealthy("--url", url + "/")


def test_nothing_listening_is_not_healthy() -> None:
    assert unhealthy("--url", f"http://127.0.0.1:{free_port()}/", "--timeout", "1")


def test_a_server_that_does_not_speak_http_is_not_healthy() -> None:
    with not_http() as url:
        assert unhealthy("--url", url, "--timeout", "2")


def test_a_fresh_heartbeat_is_healthy_and_a_stale_or_missing_one_is_not(tmp_path: Path) -> None:
    beat = tmp_path / "healthy"
    assert unhealthy("--heartbeat", str(beat))
    beat.touch()
    assert probe("--heartbeat", str(beat), "--max-age", "30").returncode == 0
    old = time.time() - 60
    os.utime(beat, (old, old))
    assert unhealthy("--heartbeat", str(beat), "--max-age", "30")


@pytest.mark.parametrize("args,named", [
    (["--url", "https://localhost:4566/"], "--url must be a plain http:// URL with a host, got 'https://localhost:4566/'"),
    (["--heartbeat", "/tmp/x", "--max-age", "nan"], "--max-age must be above 0 and finite, got 'nan'"),
    (["--heartbeat", "/tmp/x", "--max-age", "soon"], "--max-age takes a number of seconds, got 'soon'"),
    (["--heartbeat"], "--heartbeat needs a value"),
    (["--heartbeat", "/tmp/x", "--every", "2"], "unknown option(s) --every"),
    (["--url", "http://localhost/", "--heartbeat", "/tmp/x"], "give --url or --heartbeat, one of them"),
    ([], "give --url or --heartbeat, one of them"),
])
def test_a_command_line_it_cannot_run_is_refused_with_status_2_naming_what_is_wrong(
    args: list[str], named: str
) -> None:
    done = probe(*args)
    assert done.returncode == 2
    assert f"error: {named}" in done.stderr
    assert "Traceback" not in done.stderr
