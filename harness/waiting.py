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
    wake: Callable[[float], bool] | None = None,
) -> T:
    """Call ``probe`` until it returns something truthy, and return that.

    ``awaited`` names what was waited for, so the error says so when the deadline passes;
    ``describe_last`` may add what was seen instead. Between two probes the wait sleeps
    ``interval``, or, given ``wake``, calls ``wake(seconds left)``, which blocks until what the
    probe looks for may have happened (an event the stack signals) and returns True, or returns
    False at once when it cannot wait that way (the interval is slept then).
    """
    # A nan deadline is never reached and an infinite one never passes: a wait without an end.
    if not (math.isfinite(timeout) and timeout >= 0):
        raise ValueError(f"the deadline for {awaited} must be a finite number of seconds, got {timeout!r}")
    deadline = time.monotonic() + timeout
    woke_at_once = False
    while True:
        result = probe()
        if result:
            return result
        now = time.monotonic()
        if now >= deadline:
            seen = f"; {describe_last()}" if describe_last else ""
            raise DeadlineExceeded(f"waited {timeout:g} s for {awaited}, in vain{seen}")
        # A wake that returns at once while the probe still says no would spin: sleep this once.
        if wake is not None and not woke_at_once and wake(deadline - now):
            woke_at_once = time.monotonic() - now < interval
            continue
        woke_at_once = False
        time.sleep(interval)
