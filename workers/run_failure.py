"""Where and why a run of the pipeline failed, read from Step Functions itself.

The state that failed is the last top-level state the run entered (a redriven run counts from
its latest redrive: that state is entered again), which is also where a redrive would take it
up. The error and cause are the execution's own; a run that timed out or was stopped without
either is named for what happened to it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

# A run that ended without an error of its own: what the catalogue records for it.
UNNAMED_ENDINGS = {
    "TIMED_OUT": ("States.Timeout", "the run took longer than the state machine allows"),
    "ABORTED": ("Execution.Stopped", "the run was stopped before it ended"),
}
ENDED_UNSUCCESSFULLY = ("FAILED", "TIMED_OUT", "ABORTED")


@dataclass(frozen=True)
class RunFailure:
    failed_state: str
    error: str
    cause: str | None  # None where the run gives none (a missed heartbeat has no cause)
    failed_at: str  # when the run ended, ISO 8601: the same however often it is read

    def as_fields(self) -> dict[str, str | None]:
        return {"failed_state": self.failed_state, "error": self.error, "failure_cause": self.cause,
                "failed_at": self.failed_at}


def last_state_entered(sfn: Any, arn: str, top_level: set[str]) -> str | None:
    """The top-level state the run entered last, read from the newest event back."""
    for page in sfn.get_paginator("get_execution_history").paginate(executionArn=arn, reverseOrder=True):
        for event in page["events"]:
            entered = event.get("stateEnteredEventDetails")
            if event["type"].endswith("StateEntered") and entered and entered.get("name") in top_level:
                return str(entered["name"])
    return None


def read_failure(sfn: Any, described: dict[str, Any]) -> RunFailure:
    """The failure of an execution that ended unsuccessfully (``described``: its DescribeExecution)."""
    arn = described["executionArn"]
    definition = json.loads(sfn.describe_state_machine_for_execution(executionArn=arn)["definition"])
    state = last_state_entered(sfn, arn, set(definition.get("States", {}))) or str(definition.get("StartAt", ""))
    error, cause = UNNAMED_ENDINGS.get(described["status"], ("States.Runtime", None))
    stopped = described.get("stopDate")
    return RunFailure(
        failed_state=state,
        error=described.get("error") or error,
        cause=described.get("cause", cause),
        failed_at=stopped.isoformat(timespec="milliseconds") if isinstance(stopped, datetime) else str(stopped or ""),
    )
