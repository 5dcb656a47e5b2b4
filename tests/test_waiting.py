"""Waits have an end: a deadline that is not a finite number is refused, not waited on."""

from __future__ import annotations

import time

import pytest

from harness.waiting import DeadlineExceeded, wait_until


@pytest.mark.parametrize("timeout", [float("nan"), float("inf"), -1.0])
def test_a_deadline_that_never_comes_is_refused_naming_the_wait(timeout: float) -> None:
    with pytest.raises(ValueError, match="the deadline for the queue to drain must be a finite number"):
        wait_until(lambda: None, timeout=timeout, awaited="the queue to drain")


def test_a_finite_deadline_passes_with_the_wait_named() -> None:
    with pytest.raises(DeadlineExceeded, match="waited 0 s for the queue to drain, in vain"):
        wait_until(lambda: None, timeout=0, awaited="the queue to drain")


def test_a_wake_takes_the_place_of_the_poll_interval() -> None:
    happened: list[float] = []

    def wake(seconds: float) -> bool:
        time.sleep(0.05)  # stands for a request that blocks until the event
        happened.append(seconds)
        return True

    began = time.monotonic()
    assert wait_until(lambda: bool(happened), timeout=5, awaited="the event", interval=60, wake=wake)
    # An interval of a minute was never slept: the wake ended the pause with the event.
    assert time.monotonic() - began < 1
    assert len(happened) == 1 and 0 < happened[0] <= 5


def test_a_wake_that_cannot_wait_leaves_the_poll_interval() -> None:
    looks: list[float] = []
    began = time.monotonic()
    wait_until(lambda: looks.append(time.monotonic()) or len(looks) == 3, timeout=5, awaited="the third look",
               interval=0.1, wake=lambda seconds: False)
    assert time.monotonic() - began >= 0.2


def test_a_wake_that_returns_at_once_while_the_probe_says_no_does_not_spin() -> None:
    looks: list[int] = []
    with pytest.raises(DeadlineExceeded):
        wait_until(lambda: looks.append(1), timeout=0.5, awaited="nothing", interval=0.05, wake=lambda seconds: True)
    # Every other pause is the interval: about 10 of them in 0.5 s, not thousands of looks.
    assert len(looks) < 40, len(looks)
