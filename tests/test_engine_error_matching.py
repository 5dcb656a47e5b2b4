"""Retry/Catch ErrorEquals matching, per AWS's error-handling guide (harness/engine/error_matching.py)."""

from __future__ import annotations

import pytest

from harness.engine.error_matching import ReportedErrorName, error_equals_matches
from harness.engine.heartbeat_timeout import HeartbeatTimeoutName


def _names(*names: str) -> list[ReportedErrorName]:
    return [ReportedErrorName(n) for n in names]


@pytest.mark.parametrize("equals,error,matched", [
    (["States.ALL"], "Sec.Unavailable", True),
    (["States.ALL"], "States.Timeout", True),
    (["States.ALL"], "States.Runtime", False),           # never retried nor caught
    (["States.Runtime"], "States.Runtime", False),
    (["States.ALL"], "States.DataLimitExceeded", False),  # terminal for States.ALL
    (["States.DataLimitExceeded"], "States.DataLimitExceeded", True),
    (["States.TaskFailed"], "Sec.Unavailable", True),
    (["States.TaskFailed"], "States.Permissions", True),
    (["States.TaskFailed"], "States.Timeout", False),
    (["Sec.Throttled", "Sec.Unavailable"], "Sec.Unavailable", True),
    (["Sec.Throttled"], "Sec.Unavailable", False),
])
def test_error_equals(equals: list[str], error: str, matched: bool) -> None:
    assert error_equals_matches(_names(*equals), ReportedErrorName(error)) is matched


def test_missed_heartbeat_matches_heartbeat_timeout_but_not_task_failed() -> None:
    assert error_equals_matches(_names("States.HeartbeatTimeout"), HeartbeatTimeoutName())
    assert not error_equals_matches(_names("States.TaskFailed"), HeartbeatTimeoutName())
