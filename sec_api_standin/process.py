"""Start the stand-in as a child process and learn its URL, for tests and scenario set-up."""

from __future__ import annotations

import logging
import os
import queue
import subprocess
import sys
import threading
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Iterator

from sec_api_standin.__main__ import KEY_ENV, READY_PREFIX

log = logging.getLogger(__name__)

_PROJECT_ROOT = Path(__file__).resolve().parent.parent


def _read_first_line(stream: IO[str], lines: queue.Queue[str]) -> None:
    lines.put(stream.readline())


def wait_for_ready(process: subprocess.Popen[str], timeout: float) -> str:
    """The base URL from the child's READY line; RuntimeError if it fails or takes too long."""
    # readline() blocks, so read on a thread and wait on the queue with a deadline.
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=_read_first_line, args=(process.stdout, lines), daemon=True).start()
    try:
        line = lines.get(timeout=timeout)
    except queue.Empty:
        raise RuntimeError(f"stand-in printed no READY line within {timeout} s") from None
    if not line.startswith(READY_PREFIX):
        process.wait(timeout=timeout)
        raise RuntimeError(f"stand-in failed to start (exit status {process.returncode})")
    return line[len(READY_PREFIX) :].strip()


def stop_standin(process: subprocess.Popen[str], grace: float = 5.0) -> None:
    """SIGTERM, then SIGKILL if it has not exited within ``grace`` seconds."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            log.warning("stand-in pid %d ignored SIGTERM; killing it", process.pid)
            process.kill()
            process.wait()
    if process.stdout is not None:
        process.stdout.close()


def start_standin(
    api_key: str | None, stderr: IO[bytes] | IO[str], *, rate_limit: float | None = None
) -> subprocess.Popen[str]:
    """Launch the stand-in; its stdout is a pipe for wait_for_ready. ``None`` withholds the key."""
    command = [sys.executable, "-m", "sec_api_standin", "--port", "0"]
    if rate_limit is not None:
        command += ["--rate-limit", str(rate_limit)]
    env = {k: v for k, v in os.environ.items() if k != KEY_ENV}
    if api_key is not None:
        env[KEY_ENV] = api_key
    return subprocess.Popen(
        command, cwd=_PROJECT_ROOT, env=env, stdout=subprocess.PIPE, stderr=stderr, text=True
    )


@contextmanager
def running_standin(
    api_key: str,
    stderr: IO[bytes] | IO[str],
    *,
    rate_limit: float | None = None,
    startup_timeout: float = 15.0,
) -> Iterator[str]:
    """Run the stand-in until the block exits; yield its base URL.

    ``stderr`` receives the server's log (a file, so a long run cannot fill a pipe and stall
    it). The key travels in the child's environment, not its argv.
    """
    process = start_standin(api_key, stderr, rate_limit=rate_limit)
    try:
        yield wait_for_ready(process, startup_timeout)
    finally:
        stop_standin(process)
