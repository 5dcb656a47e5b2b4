"""Named errors: what an app answers with ``SendTaskFailure``.

The name is what a ``Retry`` or ``Catch`` in the state machine matches on; the message is the
cause an analyst reads, so it says what was wrong in plain words.
"""

from __future__ import annotations


class TaskError(Exception):
    error_name = "Task.Failed"

    def __init__(self, cause: str, error_name: str | None = None) -> None:
        super().__init__(cause)
        if error_name:
            self.error_name = error_name


class InvalidRequest(TaskError):
    error_name = "Request.Invalid"


class ValidationMismatch(TaskError):
    error_name = "Validation.Mismatch"


class StaleTask(TaskError):
    """A task whose request has already moved past it: a late redelivery, not a failure."""

    error_name = "Task.Stale"
