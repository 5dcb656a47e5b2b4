"""Definitions are checked as AWS checks them, at Create/UpdateStateMachine and
ValidateStateMachineDefinition.

moto parses a definition but accepts a ``Next`` that names no state, unreachable states and
fields a state type does not have, and does not implement ValidateStateMachineDefinition. The
rules are in ``harness.statemachine.rules``; this module hooks them in front of moto's own parsing:
Create/Update answer ``InvalidDefinition`` with AWS's message, and Validate answers
``{"result": "FAIL", "diagnostics": [...]}`` (or ``OK``), as the API reference describes.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from typing import Any

from moto.core.exceptions import AWSError
from moto.stepfunctions.responses import StepFunctionResponse

from harness.engine.jsonata_eval import check_syntax
from harness.statemachine.rules import Diagnostic, check_definition, render


class InvalidDefinition(AWSError):
    TYPE = "InvalidDefinition"
    STATUS = 400


def diagnose(definition_text: str | None) -> list[Diagnostic]:
    if definition_text is None:
        return []  # UpdateStateMachine without a definition changes something else
    try:
        definition = json.loads(definition_text)
    except ValueError as ex:
        return [Diagnostic("INVALID_JSON_DESCRIPTION", f"Definition is not valid JSON: {ex}", "/")]
    return check_definition(definition, check_syntax)


def _checked(original: Callable[[StepFunctionResponse], Any]) -> Callable[[StepFunctionResponse], Any]:
    @functools.wraps(original)
    def action(self: StepFunctionResponse) -> Any:
        problems = diagnose(self._get_param("definition"))
        if problems:
            raise InvalidDefinition(render(problems))
        return original(self)

    action.__definition_checked__ = True  # type: ignore[attr-defined]
    return action


def _validate_state_machine_definition(self: StepFunctionResponse) -> str:
    problems = diagnose(self._get_param("definition"))
    max_results = self._get_param("maxResults") or 100
    shown = problems[:max_results]
    return json.dumps({
        "result": "FAIL" if problems else "OK",
        "diagnostics": [{"severity": d.severity, "code": d.code, "message": d.message, "location": d.location}
                        for d in shown],
        "truncated": len(shown) < len(problems),
    })


def install() -> None:
    for name in ("create_state_machine", "update_state_machine"):
        original = getattr(StepFunctionResponse, name)
        if not getattr(original, "__definition_checked__", False):
            setattr(StepFunctionResponse, name, _checked(original))
    StepFunctionResponse.validate_state_machine_definition = (  # type: ignore[attr-defined]
        _validate_state_machine_definition)
