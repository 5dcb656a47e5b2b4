"""The state machine definition: parsed, filled in and checked before anything runs.

The file is plain Amazon States Language with ``${Name}`` placeholders, as CloudFormation's
``DefinitionSubstitutions`` would fill them. Errors name the file, and the line and column or
the state and field, so a typo is found before a single resource is made.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from harness.statemachine.rules import check_definition

PLACEHOLDER = re.compile(r"\$\{([A-Za-z0-9_]+)\}")


class DefinitionError(ValueError):
    """The definition (or another JSON input) cannot be used; the message says where and why."""


def load_json(path: Path) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise DefinitionError(f"{path}: no such file") from None
    return parse_json(text, path.name)


def parse_json(text: str, source: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise DefinitionError(
            f"{source}: invalid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}"
        ) from None


def _line_of(text: str, index: int) -> int:
    return text.count("\n", 0, index) + 1


def fill_placeholders(text: str, values: Mapping[str, str], source: str) -> dict[str, Any]:
    """Parse the definition and replace every ``${Name}`` inside its strings."""
    document = parse_json(text, source)
    unknown = [
        f"${{{m.group(1)}}} (line {_line_of(text, m.start())})"
        for m in PLACEHOLDER.finditer(text)
        if m.group(1) not in values
    ]
    if unknown:
        known = ", ".join(sorted(values)) or "none"
        raise DefinitionError(
            f"{source}: unknown placeholder {', '.join(unknown)}; known placeholders: {known}"
        )

    def fill(node: Any) -> Any:
        if isinstance(node, str):
            return PLACEHOLDER.sub(lambda m: values[m.group(1)], node)
        if isinstance(node, list):
            return [fill(item) for item in node]
        if isinstance(node, dict):
            return {key: fill(value) for key, value in node.items()}
        return node

    return fill(document)


def check_transitions(definition: Mapping[str, Any], source: str) -> None:
    """What AWS would refuse at deployment (a transition to no state, a missing StartAt, a field
    the state type does not have ...), said as AWS says it; JSONata is left to the engine."""
    problems = check_definition(definition, check_jsonata=lambda expression: None)
    if problems:
        raise DefinitionError(f"{source}: " + "; ".join(problem.render() for problem in problems))


def render_definition(path: Path, values: Mapping[str, str]) -> dict[str, Any]:
    """Read, fill and check the definition; raise DefinitionError on the first problem."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise DefinitionError(f"{path}: no such file") from None
    definition = fill_placeholders(text, values, path.name)
    check_transitions(definition, path.name)
    return definition
