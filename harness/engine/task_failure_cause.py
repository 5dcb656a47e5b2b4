"""SendTaskFailure keeps its ``cause``.

moto's response handler reads only ``error`` and drops ``cause``, so a Catch sees no ``Cause``
and a Fail state with ``CausePath`` has nothing to report. AWS passes both to the waiting task.
"""

from __future__ import annotations

from moto.core.responses import EmptyResult
from moto.stepfunctions.responses import StepFunctionResponse


def _send_task_failure(self: StepFunctionResponse) -> EmptyResult:
    task_token = self._get_param("taskToken")
    self.stepfunction_backend.send_task_failure(
        task_token, error=self._get_param("error"), cause=self._get_param("cause")
    )
    return EmptyResult()


def install() -> None:
    StepFunctionResponse.send_task_failure = _send_task_failure  # type: ignore[method-assign]
