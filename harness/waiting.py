"""Waiting on a condition with a deadline, never on a fixed sleep."""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


class DeadlineExceeded(TimeoutError):
    """The awaited condition did not hold before the deadline."""


def wait_until(
    probe: Callable[[], T | None],
    *,
    timeout: float,
    awaited: str,
    interval: float = 0.02,
    describe_last: Callable[[], str] | None = None,
) -> T:
    """Call ``probe`` until it returns something truthy, and return that.

    ``awaited`` names what was waited for, so the error says so when the deadline passes;
    ``describe_last`` may add what was seen instead.
    """
    # A nan deadline is never reached and an infinite one never passes: a wait without an end.
    if not (math.isfinite(timeout) and timeout >= 0):
        raise ValueError(f"the deadline for {awaited} must be a finite number of seconds, got {timeout!r}")
    deadline = time.monotonic() + timeout
    while True:
        result = probe()
        if result:
            return result
        if time.monotonic() >= deadline:
            seen = f"; {describe_last()}" if describe_last else ""
            raise DeadlineExceeded(f"waited {timeout:g} s for {awaited}, in vain{seen}")
        time.sleep(interval)
