"""The states and transitions of an Amazon States Language definition, as a graph to lay out.

Nested machines (Parallel branches, Map item processors) become clusters inside their state, so a
definition of any shape can be drawn; transitions never cross from one machine into another.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

# States that end their machine without a Next.
TERMINAL_TYPES = {"Succeed", "Fail"}


@dataclass(frozen=True)
class RetryRule:
    errors: tuple[str, ...]
    max_attempts: int

    def label(self) -> str:
        return f"{', '.join(self.errors)} ×{self.max_attempts}"


@dataclass(frozen=True)
class Transition:
    source: str
    target: str
    # "next", "default", "choice" or "catch": how the definition declares it.
    kind: str
    label: str = ""


@dataclass(frozen=True)
class StateNode:
    name: str
    state_type: str
    comment: str
    # The machine it belongs to: "" for the top level, else e.g. "Fan.Branches[0]".
    machine: str
    retries: tuple[RetryRule, ...] = ()
    ends: bool = False


@dataclass
class Machine:
    """One machine of the definition: the top level or a nested one."""

    path: str
    start_at: str
    states: list[StateNode] = field(default_factory=list)
    transitions: list[Transition] = field(default_factory=list)
    children: list[Machine] = field(default_factory=list)
    # For a nested machine: the state that holds it.
    owner: str | None = None


def _transitions(name: str, state: Mapping[str, Any]) -> Iterator[Transition]:
    if "Next" in state:
        yield Transition(name, state["Next"], "next")
    for choice in state.get("Choices", []):
        if "Next" in choice:
            yield Transition(name, choice["Next"], "choice", _choice_label(choice))
    if "Default" in state:
        yield Transition(name, state["Default"], "default", "default")
    for catcher in state.get("Catch", []):
        if "Next" in catcher:
            yield Transition(name, catcher["Next"], "catch", "catch " + ", ".join(catcher.get("ErrorEquals", [])))


def _choice_label(choice: Mapping[str, Any]) -> str:
    # A short hint of the rule: the variable and the comparison, not the whole expression.
    if "Condition" in choice:
        return str(choice["Condition"])[:40]
    variable = choice.get("Variable", "")
    tests = [key for key in choice if key not in ("Variable", "Next", "Comment")]
    return f"{variable} {tests[0] if tests else ''}".strip()[:40]


def _retries(state: Mapping[str, Any]) -> tuple[RetryRule, ...]:
    return tuple(
        RetryRule(tuple(rule.get("ErrorEquals", [])), int(rule.get("MaxAttempts", 3))) for rule in state.get("Retry", [])
    )


def _nested(name: str, state: Mapping[str, Any]) -> Iterator[tuple[str, Mapping[str, Any]]]:
    for i, branch in enumerate(state.get("Branches", [])):
        yield f"{name}.Branches[{i}]", branch
    for key in ("ItemProcessor", "Iterator"):
        if key in state:
            yield f"{name}.{key}", state[key]


def parse_machine(definition: Mapping[str, Any], path: str = "", owner: str | None = None) -> Machine:
    machine = Machine(path=path, start_at=str(definition.get("StartAt", "")), owner=owner)
    for name, state in definition.get("States", {}).items():
        state_type = str(state.get("Type", "Task"))
        ends = bool(state.get("End")) or state_type in TERMINAL_TYPES
        machine.states.append(
            StateNode(name, state_type, str(state.get("Comment", "")), path, _retries(state), ends)
        )
        machine.transitions.extend(_transitions(name, state))
        for child_path, child in _nested(name, state):
            machine.children.append(parse_machine(child, child_path, owner=name))
    return machine


def all_states(machine: Machine) -> list[StateNode]:
    """Every state, nested ones included, in definition order."""
    states = list(machine.states)
    for child in machine.children:
        states.extend(all_states(child))
    return states
