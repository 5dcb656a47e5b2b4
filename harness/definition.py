"""The state machine definition: parsed, filled in and checked before anything runs.

The file is plain Amazon States Language with ``${Name}`` placeholders, as CloudFormation's
``DefinitionSubstitutions`` would fill them. Errors name the file, and the line and column or
the state and field, so a typo is found before a single resource is made.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

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


def _transitions(state: Mapping[str, Any]) -> Iterator[tuple[str, str]]:
    """(field, target) for every transition a state declares."""
    if "Next" in state:
        yield "Next", state["Next"]
    if "Default" in state:
        yield "Default", state["Default"]
    for i, choice in enumerate(state.get("Choices", [])):
        if "Next" in choice:
            yield f"Choices[{i}].Next", choice["Next"]
    for i, catcher in enumerate(state.get("Catch", [])):
        if "Next" in catcher:
            yield f"Catch[{i}].Next", catcher["Next"]


def _machines(machine: Mapping[str, Any], where: str) -> Iterator[tuple[str, Mapping[str, Any]]]:
    """The machine itself and every nested one (Parallel branches, Map iterators)."""
    yield where, machine
    for name, state in machine.get("States", {}).items():
        for i, branch in enumerate(state.get("Branches", [])):
            yield from _machines(branch, f"{where}.{name}.Branches[{i}]")
        for key in ("ItemProcessor", "Iterator"):
            if key in state:
                yield from _machines(state[key], f"{where}.{name}.{key}")


def check_transitions(definition: Mapping[str, Any], source: str) -> None:
    """Every ``StartAt``, ``Next``, ``Default`` and ``Catch`` names a state of its machine."""
    problems: list[str] = []
    for where, machine in _machines(definition, "States"):
        states = machine.get("States")
        if not isinstance(states, dict) or not states:
            problems.append(f"{where}: no States")
            continue
        start = machine.get("StartAt")
        if start not in states:
            problems.append(f"{where}: StartAt names no state: {start!r}")
        for name, state in states.items():
            for field, target in _transitions(state):
                if target not in states:
                    problems.append(f"state {name!r}: {field} names no state: {target!r}")
    if problems:
        raise DefinitionError(f"{source}: " + "; ".join(problems))


def render_definition(path: Path, values: Mapping[str, str]) -> dict[str, Any]:
    """Read, fill and check the definition; raise DefinitionError on the first problem."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise DefinitionError(f"{path}: no such file") from None
    definition = fill_placeholders(text, values, path.name)
    check_transitions(definition, path.name)
    return definition
