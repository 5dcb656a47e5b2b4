"""The path read from an execution history: retries, the failed state, the summary."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from harness.statemachine.executions import ExecutionReport, path_from_history

T0 = datetime(2026, 1, 1)


def _events(*kinds: tuple[str, dict[str, Any]]) -> list[dict[str, Any]]:
    return [{"type": kind, "timestamp": T0 + timedelta(milliseconds=i), **details} for i, (kind, details) in enumerate(kinds)]


def entered(name: str, kind: str = "Task") -> tuple[str, dict[str, Any]]:
    return f"{kind}StateEntered", {"stateEnteredEventDetails": {"name": name}}


def failed(error: str) -> tuple[str, dict[str, Any]]:
    return "TaskFailed", {"taskFailedEventDetails": {"error": error, "cause": f"because {error}"}}


def exited(name: str, kind: str = "Task") -> tuple[str, dict[str, Any]]:
    return f"{kind}StateExited", {"stateExitedEventDetails": {"name": name}}


def test_a_state_retried_then_successful_is_not_the_failed_state() -> None:
    path = path_from_history(
        _events(
            entered("Fetch"), failed("Sec.Throttled"), ("TaskSucceeded", {}), exited("Fetch"),
            entered("Check"), failed("Validation.Mismatch"), exited("Check"),
            entered("Record"), exited("Record"),
        )
    )
    report = ExecutionReport("arn:x:exec:e1", "FAILED", {}, None, "Validation.Mismatch", "c", path)
    assert [v.attempts for v in path] == [2, 1, 1]
    assert report.failed_state is path[1]
    assert report.summary() == (
        "execution e1 FAILED at state Check with Validation.Mismatch: because Validation.Mismatch; "
        "path: Fetch (succeeded after 1 failed attempt(s)) -> Check (failed after 1 attempt(s): "
        "Validation.Mismatch) -> Record"
    )


def test_a_task_states_attempts_are_its_scheduled_tasks_a_caught_last_failure_included() -> None:
    scheduled = ("TaskScheduled", {})
    path = path_from_history(
        _events(
            entered("Fetch"), scheduled, failed("Sec.Unavailable"), scheduled, failed("Sec.Unavailable"),
            exited("Fetch"), entered("FetchFailed", "Pass"), exited("FetchFailed", "Pass"),
        )
    )
    assert [(v.scheduled, v.attempts) for v in path] == [(2, 2), (0, 1)]


def test_each_started_attempt_of_a_task_is_timed_from_its_start_to_its_answer_or_timeout() -> None:
    path = path_from_history(
        _events(
            entered("Fetch"), ("TaskScheduled", {}), ("TaskStarted", {}), ("TaskSubmitted", {}),
            ("TaskTimedOut", {"taskTimedOutEventDetails": {"error": "States.Timeout"}}),
            ("TaskScheduled", {}), ("TaskStarted", {}), ("TaskSubmitted", {}), ("TaskSucceeded", {}),
            exited("Fetch"), entered("Check"), ("TaskScheduled", {}), ("TaskStarted", {}),
        )
    )
    # Events are a millisecond apart: each attempt ran 2 ms, its start to its timeout or answer.
    assert [v.task_seconds for v in path] == [[0.002, 0.002], []]
    assert path[1].task_ended == [None]  # still running
