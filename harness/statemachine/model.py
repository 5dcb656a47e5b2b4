"""The state machine as a graph: its states and transitions, for the report to draw and coverage to count.

Nested machines (Parallel branches, Map item processors) become clusters inside their state, so a
definition of any shape can be drawn; transitions never cross from one machine into another.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from harness.statemachine import walk

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
    for edge in walk.edges(state):
        yield Transition(name, edge.target, edge.kind, edge.label)


def _retries(state: Mapping[str, Any]) -> tuple[RetryRule, ...]:
    return tuple(
        RetryRule(tuple(rule.get("ErrorEquals", [])), int(rule.get("MaxAttempts", 3))) for rule in state.get("Retry", [])
    )


def parse_machine(definition: Mapping[str, Any], path: str = "", owner: str | None = None) -> Machine:
    machine = Machine(path=path, start_at=str(definition.get("StartAt", "")), owner=owner)
    for name, state in walk.states_of(definition).items():
        state_type = str(state.get("Type", "Task"))
        ends = bool(state.get("End")) or state_type in TERMINAL_TYPES
        machine.states.append(
            StateNode(name, state_type, str(state.get("Comment", "")), path, _retries(state), ends)
        )
        machine.transitions.extend(_transitions(name, state))
        for inner in walk.nested(name, state):
            machine.children.append(parse_machine(inner.node, inner.name, owner=name))
    return machine


def all_states(machine: Machine) -> list[StateNode]:
    """Every state, nested ones included, in definition order."""
    states = list(machine.states)
    for child in machine.children:
        states.extend(all_states(child))
    return states
