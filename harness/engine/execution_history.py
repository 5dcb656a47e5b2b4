"""GetExecutionHistory with its paging, order and data options.

API reference: ``maxResults`` is a page size (default 100, at most 1000, 0 for the default),
``nextToken`` the next page, ``reverseOrder`` the newest event first, and
``includeExecutionData`` false leaves out each event's execution data (its ``input`` and
``output``). moto answered every event in order, whatever was asked: a client reading the
newest events first (how a failure is found) read the oldest instead.
"""

from __future__ import annotations

import copy
from typing import Any

from moto.core.responses import ActionResult
from moto.stepfunctions.parser.api import ValidationException
from moto.stepfunctions.responses import StepFunctionResponse

from harness.engine.actions import page, param, register

DEFAULT_PAGE = 100
MAX_PAGE = 1000
EXECUTION_DATA = ("input", "output")


def _without_execution_data(event: dict[str, Any]) -> dict[str, Any]:
    out = copy.copy(event)
    for key, value in event.items():
        if key.endswith("EventDetails") and isinstance(value, dict):
            out[key] = {k: v for k, v in value.items() if k not in EXECUTION_DATA}
    return out


def get_execution_history(self: StepFunctionResponse) -> ActionResult:
    arn = param(self, "executionArn")
    size = param(self, "maxResults", 0)
    if isinstance(size, bool) or not isinstance(size, int) or not 0 <= size <= MAX_PAGE:
        raise ValidationException(
            f"1 validation error detected: Value '{size}' at 'maxResults' failed to satisfy constraint: "
            f"Member must have value less than or equal to {MAX_PAGE}"
        )
    events = list(self.stepfunction_backend.get_execution_history(arn)["events"])
    if param(self, "reverseOrder", False):
        events.reverse()
    if param(self, "includeExecutionData", True) is False:
        events = [_without_execution_data(event) for event in events]
    events, next_token = page(events, size or DEFAULT_PAGE, param(self, "nextToken"))
    response: dict[str, Any] = {"events": events}
    if next_token:
        response["nextToken"] = next_token
    return ActionResult(response)


def install() -> None:
    register(get_execution_history)
