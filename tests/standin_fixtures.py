"""The SEC API stand-in as a process for the tests, started as the stacks start every process."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from harness.stacks.processes import ManagedProcess
from sec_api_standin.__main__ import KEY_ENV

PROJECT = Path(__file__).resolve().parent.parent


def standin_process(log_path: Path, api_key: str | None, *, rate_limit: float | None = None) -> ManagedProcess:
    """The stand-in on a free port, logging to ``log_path``; ``None`` withholds the key.

    The key travels in the child's environment, not its argv.
    """
    argv = [sys.executable, "-m", "sec_api_standin", "--port", "0"]
    if rate_limit is not None:
        argv += ["--rate-limit", str(rate_limit)]
    env = {k: v for k, v in os.environ.items() if k != KEY_ENV}
    env["PYTHONPATH"] = str(PROJECT)
    if api_key is not None:
        env[KEY_ENV] = api_key
    return ManagedProcess("sec-api", argv, env=env, log_path=log_path, cwd=PROJECT)


@contextmanager
def running_standin(
    log_path: Path, api_key: str, *, rate_limit: float | None = None, startup_timeout: float = 15.0
) -> Iterator[str]:
    """Run the stand-in until the block exits; yield its base URL."""
    process = standin_process(log_path, api_key, rate_limit=rate_limit)
    process.start()
    try:
        yield process.wait_ready(startup_timeout)
    finally:
        process.stop()
