"""Strings written in an ``Assign`` block are JSON strings: their escapes are decoded.

AWS reads a definition as JSON, so ``"Assign": {"quote": "\\""}`` binds a one-character string
and ``"json": "{\\"key\\":\\"value\\"}"`` binds ``{"key":"value"}``, which
``States.StringToJson($json)`` parses. moto's preprocessor took these literals as written in
the source, backslashes kept, unlike every other literal of a definition: the variable held
``\\"`` and StringToJson failed with States.Runtime (JSONDecodeError).
"""

from __future__ import annotations

import json
from typing import Any

from moto.stepfunctions.parser.asl.antlr.runtime.ASLParser import ASLParser
from moto.stepfunctions.parser.asl.component.common.assign.assign_template_value_terminal import (
    AssignTemplateValueTerminalLit,
)
from moto.stepfunctions.parser.asl.parse.preprocessor import Preprocessor


def json_string(text: str) -> str:
    """The value of a JSON string token as the source writes it (quotes included)."""
    if len(text) >= 2 and text.startswith('"') and text.endswith('"'):
        try:
            return str(json.loads(text))
        except ValueError:
            return text[1:-1]
    return text


def _string_literal(self: Preprocessor, ctx: ASLParser.Assign_template_value_terminal_string_literalContext) -> Any:
    return AssignTemplateValueTerminalLit(value=json_string(ctx.string_literal().getText()))


def install() -> None:
    Preprocessor.visitAssign_template_value_terminal_string_literal = _string_literal  # type: ignore[method-assign]
