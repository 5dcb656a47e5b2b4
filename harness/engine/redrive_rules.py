"""Which executions RedriveExecution accepts, and the redrive figures an execution carries.

AWS ("Restarting state machine executions with redrive"): a Standard Workflow execution can be
redriven if it FAILED, was ABORTED or TIMED_OUT, within 14 days of its end; a SUCCEEDED or
RUNNING execution, an Express one, or one that ended longer ago cannot. ``redriveCount`` counts
the successful redrives (0 for one never redriven) and ``redriveDate`` is the latest.
"""

from __future__ import annotations

import datetime
from typing import Any

REDRIVE_WINDOW = datetime.timedelta(days=14)
REDRIVABLE_STATUSES = frozenset({"FAILED", "ABORTED", "TIMED_OUT"})


def redrive_count(execution: Any) -> int:
    return int(getattr(execution, "redrive_count", 0))


def redrive_date(execution: Any) -> datetime.datetime | None:
    return getattr(execution, "redrive_date", None)


def redrive_status(execution: Any, now: datetime.datetime | None = None) -> tuple[bool, str | None]:
    """(redrivable, the reason it is not) for DescribeExecution and RedriveExecution."""
    now = now or datetime.datetime.now(tz=datetime.timezone.utc)
    status = execution.status
    if str(getattr(execution, "sm_type", "STANDARD")) == "EXPRESS":
        return False, "Execution is of type EXPRESS and cannot be redriven"
    if status not in REDRIVABLE_STATUSES:
        return False, f"Execution is {status} and cannot be redriven"
    stopped = execution.stop_date
    if stopped is not None and now - stopped > REDRIVE_WINDOW:
        return False, "Execution can no longer be redriven: it ended more than 14 days ago"
    return True, None
