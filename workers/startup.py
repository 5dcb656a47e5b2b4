"""Waiting, at start-up, for what provisioning has not made yet (a queue, the state machine).

A stack may start the apps while it provisions, so an app does not fail for a queue that will
exist a second later; it gives up, naming what it waited for, after ``STARTUP_WAIT_SECONDS``.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

from workers import settings

T = TypeVar("T")


def wait_for(probe: Callable[[], T | None], awaited: str) -> T:
    deadline = time.monotonic() + settings.seconds("STARTUP_WAIT_SECONDS", 60.0)
    while True:
        found = probe()
        if found is not None:
            return found
        if time.monotonic() >= deadline:
            raise SystemExit(f"gave up waiting for {awaited}: has the stack been provisioned?")
        time.sleep(0.05)
