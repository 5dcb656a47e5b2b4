"""Executions: find them, wait for them to end, and read the path they took.

The path comes from the execution history, so it is what AWS would report: each state entered,
in order, with its timing, the retries, and the state that failed with its error and cause. A
redriven execution's history goes on after an ``ExecutionRedriven`` event: each visit says which
run of the execution it belongs to (0, then 1 for the first redrive ...).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from botocore.exceptions import ClientError

from harness.emulator_wait import execution_wake
from harness.redaction import redact
from harness.waiting import DeadlineExceeded, wait_until

FAILED_EVENTS = {
    "TaskFailed",
    "TaskTimedOut",
    "ActivityFailed",
    "ActivityTimedOut",
    "LambdaFunctionFailed",
    "LambdaFunctionTimedOut",
    "ExecutionFailed",
}
# How a started task's attempt ends: answered, failed (by its worker or its service), not
# submitted, or timed out by Step Functions.
TASK_ENDS = {"TaskSucceeded", "TaskFailed", "TaskSubmitFailed", "TaskTimedOut"}


def execution_arn(state_machine_arn: str, name: str) -> str:
    """The ARN an execution of that name has: known before it exists."""
    return state_machine_arn.replace(":stateMachine:", ":execution:", 1) + f":{name}"


@dataclass
class StateVisit:
    name: str
    state_type: str
    entered: datetime
    exited: datetime | None = None
    failures: list[tuple[str, str]] = field(default_factory=list)  # (error, cause) per attempt
    succeeded: bool = False  # a task of this state succeeded (after any retries)
    scheduled: int = 0  # TaskScheduled events: one per attempt of a Task state, retries included
    run: int = 0  # 0: the execution as started; n: after its n-th redrive
    # Per started attempt of a Task state: its TaskStarted, and the event that ended it (None
    # while it runs). How long a worker held an attempt is what its heartbeat and timeout measure.
    task_started: list[datetime] = field(default_factory=list)
    task_ended: list[datetime | None] = field(default_factory=list)

    @property
    def attempts(self) -> int:
        # A Task state's history says outright how often it was tried; other states only by
        # their failures and success.
        return self.scheduled or max(1, len(self.failures) + (1 if self.succeeded else 0))

    @property
    def task_seconds(self) -> list[float]:
        """How long each ended attempt's task ran, from TaskStarted to its answer or timeout."""
        spans = zip(self.task_started, self.task_ended)
        return [(end - start).total_seconds() for start, end in spans if end is not None]

    @property
    def failed_finally(self) -> bool:
        """Failed on its last attempt: caught, or the end of the execution."""
        return bool(self.failures) and not self.succeeded

    @property
    def duration_ms(self) -> float | None:
        if self.exited is None:
            return None
        return (self.exited - self.entered).total_seconds() * 1000


@dataclass
class ExecutionReport:
    arn: str
    status: str
    input: Any
    output: Any
    error: str | None
    cause: str | None
    path: list[StateVisit]
    redrive_count: int = 0

    @property
    def last_run(self) -> list[StateVisit]:
        """The visits since the latest redrive (all of them for an execution never redriven)."""
        return [visit for visit in self.path if visit.run == self.redrive_count]

    @property
    def state_names(self) -> list[str]:
        return [visit.name for visit in self.path]

    @property
    def failed_state(self) -> StateVisit | None:
        """The first state of the latest run whose task failed on its last attempt: caught, or
        ending the execution (a failure a redrive took up again is not this)."""
        for visit in self.last_run:
            if visit.failed_finally:
                return visit
        return None

    def summary(self) -> str:
        """One paragraph: outcome, failing state with error and cause, the path taken."""
        steps = []
        for visit in self.path:
            mark = ""
            if visit.failed_finally:
                mark = f" (failed after {visit.attempts} attempt(s): {visit.failures[-1][0]})"
            elif visit.failures:
                mark = f" (succeeded after {len(visit.failures)} failed attempt(s))"
            steps.append(visit.name + mark)
        text = f"execution {self.arn.rsplit(':', 1)[-1]} {self.status}"
        if self.redrive_count:
            text += f" (redriven {self.redrive_count} time(s))"
        failed = self.failed_state
        if failed is not None:
            error, cause = failed.failures[-1]
            text += f" at state {failed.name} with {error}" + (f": {cause}" if cause else "")
        elif self.error:
            text += f" with {self.error}: {self.cause}"
        text += "; path: " + (" -> ".join(steps) or "(no state entered)")
        return redact(text)


def execution_history(sfn: Any, arn: str) -> list[dict[str, Any]]:
    events: list[dict[str, Any]] = []
    for page in sfn.get_paginator("get_execution_history").paginate(executionArn=arn):
        events.extend(page["events"])
    return events


def path_from_history(events: list[dict[str, Any]]) -> list[StateVisit]:
    path: list[StateVisit] = []
    current: StateVisit | None = None
    run = 0
    for event in events:
        kind = event["type"]
        if kind == "ExecutionRedriven":
            run, current = run + 1, None
        elif kind.endswith("StateEntered"):
            details = event["stateEnteredEventDetails"]
            current = StateVisit(details["name"], kind[: -len("StateEntered")], event["timestamp"], run=run)
            path.append(current)
        elif kind.endswith("StateExited") and current is not None:
            # A Map or Parallel state exits after its inner states: the exit is the latest open
            # visit of the state it names, not of the state entered last.
            name = (event.get("stateExitedEventDetails") or {}).get("name", current.name)
            visit = next((v for v in reversed(path) if v.name == name and v.exited is None), current)
            visit.exited = event["timestamp"]
        elif kind == "TaskScheduled" and current is not None:
            current.scheduled += 1
        elif kind == "TaskStarted" and current is not None:
            current.task_started.append(event["timestamp"])
            current.task_ended.append(None)
        elif kind.endswith("Succeeded") and kind != "ExecutionSucceeded" and current is not None:
            current.succeeded = True
        elif kind in FAILED_EVENTS and current is not None and kind != "ExecutionFailed":
            details = next((v for k, v in event.items() if k.endswith("EventDetails")), {})
            current.failures.append((details.get("error", kind), details.get("cause", "")))
        if kind in TASK_ENDS and current is not None and current.task_ended[-1:] == [None]:
            current.task_ended[-1] = event["timestamp"]
    return path


def read_execution(sfn: Any, arn: str) -> ExecutionReport:
    described = sfn.describe_execution(executionArn=arn)

    def parsed(key: str) -> Any:
        raw = described.get(key)
        try:
            return json.loads(raw) if raw is not None else None
        except ValueError:
            return raw

    return ExecutionReport(
        arn=arn,
        status=described["status"],
        input=parsed("input"),
        output=parsed("output"),
        error=described.get("error"),
        cause=described.get("cause"),
        path=path_from_history(execution_history(sfn, arn)),
        redrive_count=int(described.get("redriveCount") or 0),
    )


# An execution redriven a moment ago may still say so before it says RUNNING.
NOT_ENDED = (None, "RUNNING", "PENDING_REDRIVE")


def _status(sfn: Any, arn: str, redrives: int = 0) -> str | None:
    """The execution's status; None if it does not exist, or was not yet redriven ``redrives`` times."""
    try:
        described = sfn.describe_execution(executionArn=arn)
    except ClientError as exc:
        if exc.response["Error"]["Code"] == "ExecutionDoesNotExist":
            return None
        raise
    return described["status"] if int(described.get("redriveCount") or 0) >= redrives else None


def wait_for_end(sfn: Any, arn: str, timeout: float, redrives: int = 0) -> ExecutionReport:
    """Wait until the execution exists and has ended (after its ``redrives``-th redrive, if
    given); the error says where it was stuck.

    On the emulator the wait ends on the execution's end (``harness/emulator_wait.py``);
    elsewhere DescribeExecution is asked until it says so."""
    name = arn.rsplit(":", 1)[-1]

    def where() -> str:
        status = _status(sfn, arn)
        if status is None:
            return "it was never started"
        report = read_execution(sfn, arn)
        return f"it was {status}, {report.summary()}"

    try:
        wait_until(
            lambda: _status(sfn, arn, redrives) not in NOT_ENDED,
            timeout=timeout,
            awaited=f"execution {name} to end",
            describe_last=where,
            wake=execution_wake(sfn, arn, "ended"),
        )
    except DeadlineExceeded as exc:
        raise AssertionError(str(exc)) from None
    return read_execution(sfn, arn)
