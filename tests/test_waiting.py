"""Waits have an end: a deadline that is not a finite number is refused, not waited on."""

from __future__ import annotations

import pytest

from harness.waiting import DeadlineExceeded, wait_until


@pytest.mark.parametrize("timeout", [float("nan"), float("inf"), -1.0])
def test_a_deadline_that_never_comes_is_refused_naming_the_wait(timeout: float) -> None:
    with pytest.raises(ValueError, match="the deadline for the queue to drain must be a finite number"):
        wait_until(lambda: None, timeout=timeout, awaited="the queue to drain")


def test_a_finite_deadline_passes_with_the_wait_named() -> None:
    with pytest.raises(DeadlineExceeded, match="waited 0 s for the queue to drain, in vain"):
        wait_until(lambda: None, timeout=0, awaited="the queue to drain")
