"""The one walk of an Amazon States Language definition: its machines, states and transitions.

The harness's readers of a definition go through here: the deployment checks (``rules``), the IAM
policy (``iam_policy``), the graph the report draws and coverage counts (``model``). (The
emulator's engine rewrites a definition for moto's parser before anything reads it; that stays
in ``harness/engine/asl_extensions.py``.) The walk is
tolerant: a definition may be malformed (the checks walk it to say how), so anything that is not
of the expected shape is skipped here and reported by the checks.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

# Fields of a state that hold a machine of their own.
NESTED_FIELDS = ("ItemProcessor", "Iterator")


@dataclass(frozen=True)
class Edge:
    """One declared transition of a state: where it goes, how it is declared, and where."""

    target: str
    # "next", "default", "choice" or "catch"
    kind: str
    # The field holding it, as JSON pointer parts from the state: ("Choices", "0", "Next").
    field: tuple[str, ...]
    # A short hint for people: the Choice rule or the caught errors.
    label: str = ""


@dataclass(frozen=True)
class NestedMachine:
    """A machine inside a state: a Parallel branch or a Map's item processor."""

    # "Fan.Branches[0]", "Each.ItemProcessor": how the report and coverage name it.
    name: str
    # JSON pointer parts from the state: ("Branches", "0").
    field: tuple[str, ...]
    node: Any


@dataclass(frozen=True)
class StateAt:
    """A state and where it is: the pointer parts of its machine, e.g. ("States", "Fan", "Branches", "0")."""

    machine: tuple[str, ...]
    name: str
    state: Mapping[str, Any]

    @property
    def where(self) -> tuple[str, ...]:
        return (*self.machine, "States", self.name)


def states_of(machine: Any) -> Mapping[str, Any]:
    """The machine's states; members of ``States`` that are not states (a ``QueryLanguage``
    member, which AWS accepts there) are left out."""
    states = machine.get("States") if isinstance(machine, Mapping) else None
    if not isinstance(states, Mapping):
        return {}
    return {name: state for name, state in states.items() if isinstance(state, Mapping)}


def edges(state: Any) -> Iterator[Edge]:
    """Each transition the state declares, in the order a reader meets them."""
    if not isinstance(state, Mapping):
        return
    if isinstance(state.get("Next"), str):
        yield Edge(state["Next"], "next", ("Next",))
    for i, choice in enumerate(_list(state.get("Choices"))):
        if isinstance(choice, Mapping) and isinstance(choice.get("Next"), str):
            yield Edge(choice["Next"], "choice", ("Choices", str(i), "Next"), choice_label(choice))
    if isinstance(state.get("Default"), str):
        yield Edge(state["Default"], "default", ("Default",), "default")
    for i, catcher in enumerate(_list(state.get("Catch"))):
        if isinstance(catcher, Mapping) and isinstance(catcher.get("Next"), str):
            errors = ", ".join(str(e) for e in _list(catcher.get("ErrorEquals")))
            yield Edge(catcher["Next"], "catch", ("Catch", str(i), "Next"), f"catch {errors}")


def nested(name: str, state: Any) -> Iterator[NestedMachine]:
    """The machines a Parallel or Map state holds."""
    if not isinstance(state, Mapping):
        return
    for i, branch in enumerate(_list(state.get("Branches"))):
        yield NestedMachine(f"{name}.Branches[{i}]", ("Branches", str(i)), branch)
    for key in NESTED_FIELDS:
        if key in state:
            yield NestedMachine(f"{name}.{key}", (key,), state[key])


def all_states(definition: Any, machine: tuple[str, ...] = ()) -> Iterator[StateAt]:
    """Every state of the definition, those of Parallel branches and Map processors too."""
    for name, state in states_of(definition).items():
        yield StateAt(machine, name, state)
        for inner in nested(name, state):
            yield from all_states(inner.node, (*machine, "States", name, *inner.field))


def choice_label(choice: Mapping[str, Any]) -> str:
    # A short hint of the rule: the variable and the comparison, not the whole expression.
    if "Condition" in choice:
        return str(choice["Condition"])[:40]
    variable = choice.get("Variable", "")
    tests = [key for key in choice if key not in ("Variable", "Next", "Comment")]
    return f"{variable} {tests[0] if tests else ''}".strip()[:40]


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []
