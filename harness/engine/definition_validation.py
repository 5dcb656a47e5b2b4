"""Definitions are checked as AWS checks them, at Create/UpdateStateMachine and
ValidateStateMachineDefinition.

moto parses a definition but accepts a ``Next`` that names no state, unreachable states and
fields a state type does not have, and does not implement ValidateStateMachineDefinition. The
rules are in ``harness.statemachine.rules``; this module hooks them in front of moto's own parsing,
whose remaining refusals ``parser_refusals`` words as AWS's diagnostics:
Create/Update answer ``InvalidDefinition`` with AWS's message, and Validate answers
``{"result": "FAIL", "diagnostics": [...]}`` (or ``OK``), as the API reference describes.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from typing import Any

from moto.core.exceptions import AWSError
from moto.stepfunctions.parser.models import StepFunctionsParserBackend
from moto.stepfunctions.responses import StepFunctionResponse

from harness.engine.jsonata_eval import check_syntax
from harness.engine.parser_refusals import diagnose_parse
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
    # The rules name what AWS refuses; what they pass, moto's parser must still take (its refusals
    # reworded as AWS's diagnostics), or the execution could not run.
    return check_definition(definition, check_syntax) or diagnose_parse(definition_text)


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


def _validate_parsed(definition: str) -> None:
    problems = diagnose_parse(definition)
    if problems:
        raise InvalidDefinition(render(problems))


def install() -> None:
    _validate_parsed.__aws_shaped__ = True  # type: ignore[attr-defined]
    StepFunctionsParserBackend._validate_definition = staticmethod(_validate_parsed)  # type: ignore[method-assign]
    for name in ("create_state_machine", "update_state_machine"):
        original = getattr(StepFunctionResponse, name)
        if not getattr(original, "__definition_checked__", False):
            setattr(StepFunctionResponse, name, _checked(original))
    StepFunctionResponse.validate_state_machine_definition = (  # type: ignore[attr-defined]
        _validate_state_machine_definition)
