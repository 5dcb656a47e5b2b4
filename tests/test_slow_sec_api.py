"""The slow SEC API a scenario asks for keeps a fetch waiting as long as it must, within what
the pipeline's SEC client allows (steps/sec_api_control.py, workers/sec_client.py)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from steps.sec_api_control import slow_answers
from workers.sec_client import MAX_RETRIES

PROJECT = Path(__file__).resolve().parent.parent


def _declared() -> tuple[float, float]:
    """FetchFiling's HeartbeatSeconds and the utilities app's SEC API timeout, as declared."""
    definition = json.loads((PROJECT / "test-definition.json").read_text(encoding="utf-8"))
    pipeline = json.loads((PROJECT / "pipeline.json").read_text(encoding="utf-8"))
    timeout = pipeline["apps"]["utilities"]["timings"]["SEC_API_TIMEOUT_SECONDS"]
    return definition["States"]["FetchFiling"]["HeartbeatSeconds"], timeout


@pytest.mark.parametrize("time_scale", [0.1, 0.5, 1.0])
def test_the_declared_pipeline_can_be_kept_waiting_half_again_its_heartbeat_timeout(time_scale: float) -> None:
    heartbeat, timeout = (seconds * time_scale for seconds in _declared())
    answers = slow_answers(1.5 * heartbeat, timeout, MAX_RETRIES)
    assert answers.seconds >= 1.5 * heartbeat
    # Each attempt answers in time, its Retry-After honoured in full, and the client asks no
    # more often than it may: the first attempt of the task still gets the filing.
    assert answers.busy <= MAX_RETRIES
    assert answers.hold <= timeout / 2
    assert answers.retry_after <= timeout


def test_the_fewest_busy_answers_are_used() -> None:
    assert slow_answers(9, 2, 3) == slow_answers(9, 2, 5)
    assert (slow_answers(9, 2, 3).busy, slow_answers(1, 2, 3).busy) == (3, 0)


def test_a_wait_the_client_does_not_allow_is_refused_not_shortened() -> None:
    with pytest.raises(AssertionError, match="cannot be kept waiting 20 s"):
        slow_answers(20, 2, 3)
