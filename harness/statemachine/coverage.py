"""Which parts of the state machine a run's executions took, and by which scenarios.

Counted on the graph of ``model``: every state, every declared transition (each ``Next``, each
Choice rule and ``Default``, each ``Catch``) and every ``Retry`` rule, nested machines included.
An execution counts for this machine when every state it entered is one of the machine's, so
executions of other machines a suite runs are left out.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from harness.statemachine.executions import ExecutionReport, StateVisit
from harness.statemachine.model import Machine, RetryRule, StateNode, Transition, all_states

# Errors a Retry or Catch rule names that stand for many (AWS's ErrorEquals rules).
_MATCHES_ANY = "States.ALL"
_TASK_FAILED = "States.TaskFailed"
_TIMEOUT = "States.Timeout"
_HEARTBEAT_TIMEOUT = "States.HeartbeatTimeout"


def all_transitions(machine: Machine) -> list[Transition]:
    found = list(machine.transitions)
    for child in machine.children:
        found.extend(all_transitions(child))
    return found


def edge_taken(transitions: list[Transition], before: StateVisit, after: str) -> tuple[str, str, str]:
    """(source, target, kind) of the declared transition between two consecutive visits."""
    kinds = {t.kind for t in transitions if t.source == before.name and t.target == after}
    # A state that failed and then moved on did so through a Catch, even if Next names the same state.
    if before.failed_finally and "catch" in kinds:
        return before.name, after, "catch"
    for kind in ("next", "choice", "default", "catch"):
        if kind in kinds:
            return before.name, after, kind
    return before.name, after, "next"


def edges_taken(machine: Machine, report: ExecutionReport) -> set[tuple[str, str, str]]:
    """The declared transitions an execution took.

    A transition joins a visit to the next visit in the same machine: a Map or Parallel state's
    inner states come between it and the state after it, and Parallel branches interleave.
    """
    transitions = all_transitions(machine)
    declared = {(t.source, t.target) for t in transitions}
    machine_of = {node.name: node.machine for node in all_states(machine)}
    taken = set()
    for position, before in enumerate(report.path):
        home = machine_of.get(before.name)
        after = next((v for v in report.path[position + 1:] if machine_of.get(v.name) == home), None)
        if after is not None and (before.name, after.name) in declared:
            taken.add(edge_taken(transitions, before, after.name))
    return taken


def rule_matches(errors: tuple[str, ...], error: str) -> bool:
    if error in errors or _MATCHES_ANY in errors:
        return True
    # AWS reports a missed heartbeat as States.Timeout, and lets Retry and Catch match it by
    # States.HeartbeatTimeout too; the history does not tell it from a TimeoutSeconds expiry.
    if error == _TIMEOUT and _HEARTBEAT_TIMEOUT in errors:
        return True
    return _TASK_FAILED in errors and error != _TIMEOUT and not error.startswith("States.Runtime")


def retry_errors(node: StateNode, visit: StateVisit) -> dict[int, list[str]]:
    """For each of the state's Retry rules that sent it round again in this visit, the errors
    that fired it, one per retry (AWS applies the first rule whose ErrorEquals matches)."""
    fired: dict[int, list[str]] = {}
    retried = visit.failures if not visit.failed_finally else visit.failures[:-1]
    for error, _cause in retried:
        for index, rule in enumerate(node.retries):
            if rule_matches(rule.errors, error):
                fired.setdefault(index, []).append(error)
                break
    return fired


def retries_fired(node: StateNode, visit: StateVisit) -> set[int]:
    """Indexes of the state's Retry rules that sent it round again in this visit."""
    return set(retry_errors(node, visit))


@dataclass
class Coverage:
    machine: Machine
    states: dict[str, set[str]] = field(default_factory=dict)  # state -> scenarios
    transitions: dict[tuple[str, str, str], set[str]] = field(default_factory=dict)
    retries: dict[tuple[str, int], set[str]] = field(default_factory=dict)
    # The errors that fired each Retry rule (a rule may list several).
    retry_errors: dict[tuple[str, int], set[str]] = field(default_factory=dict)
    # The executions of this machine whose paths the scenarios followed.
    executions: int = 0

    def __post_init__(self) -> None:
        self._nodes = {node.name: node for node in all_states(self.machine)}
        for node in self._nodes.values():
            self.states.setdefault(node.name, set())
            for index, _rule in enumerate(node.retries):
                self.retries.setdefault((node.name, index), set())
        self._transitions = all_transitions(self.machine)
        for t in self._transitions:
            self.transitions.setdefault((t.source, t.target, t.kind), set())

    def belongs(self, report: ExecutionReport) -> bool:
        return bool(report.path) and all(visit.name in self._nodes for visit in report.path)

    def add(self, scenario: str, report: ExecutionReport) -> None:
        if not self.belongs(report):
            return
        self.executions += 1
        for visit in report.path:
            self.states[visit.name].add(scenario)
            for index, errors in retry_errors(self._nodes[visit.name], visit).items():
                self.retries[(visit.name, index)].add(scenario)
                self.retry_errors.setdefault((visit.name, index), set()).update(errors)
        for edge in edges_taken(self.machine, report):
            if edge in self.transitions:
                self.transitions[edge].add(scenario)

    @staticmethod
    def _share(found: dict[Any, set[str]]) -> tuple[int, int]:
        return sum(1 for scenarios in found.values() if scenarios), len(found)

    def figures(self) -> dict[str, dict[str, float]]:
        out = {}
        for name, found in (("states", self.states), ("transitions", self.transitions), ("retries", self.retries)):
            covered, total = self._share(found)
            out[name] = {"covered": covered, "total": total, "percent": round(100.0 * covered / total, 1) if total else 100.0}
        return out

    def _transition(self, key: tuple[str, str, str]) -> Transition:
        return next(t for t in self._transitions if (t.source, t.target, t.kind) == key)

    def uncovered(self) -> list[str]:
        """What no scenario took, said in words."""
        lines = [f"the state {name} is never entered" for name, found in self.states.items() if not found]
        for key, found in self.transitions.items():
            if not found:
                lines.append(describe_transition(self._transition(key)) + " is never taken")
        for (state, index), found in self.retries.items():
            if not found:
                rule = self._nodes[state].retries[index]
                lines.append(f"{state} is never retried on {', '.join(rule.errors)}")
        return lines

    def as_json(self) -> dict[str, Any]:
        return {
            "executions": self.executions,
            "figures": self.figures(),
            "states": {name: sorted(found) for name, found in self.states.items()},
            "transitions": [
                {"from": s, "to": t, "kind": k, "label": self._transition((s, t, k)).label, "scenarios": sorted(found)}
                for (s, t, k), found in self.transitions.items()
            ],
            "retries": [
                {"state": s, "errors": list(self._nodes[s].retries[i].errors), "scenarios": sorted(found)}
                for (s, i), found in self.retries.items()
            ],
            "uncovered": self.uncovered(),
        }

    def summary(self) -> str:
        figures = self.figures()
        if not self.executions:
            # Coverage is measured on the paths scenarios followed (their ExecutionReports); a run
            # whose scenarios only counted executions (a burst's, by status) followed none. Its
            # executions did take states: "0/N" would say they took none.
            return (
                "state machine coverage: not measured, no scenario of this run followed an execution's path "
                f"(the machine has {figures['states']['total']} states, {figures['transitions']['total']} "
                f"transitions and {figures['retries']['total']} Retry rules)"
            )
        return "state machine coverage: " + ", ".join(
            f"{name} {f['covered']}/{f['total']} ({f['percent']:g}%)" for name, f in figures.items()
        )


def describe_transition(t: Transition) -> str:
    if t.kind == "catch":
        return f"from {t.source}, the {t.label} to {t.target}"
    if t.kind == "choice":
        return f"from {t.source}, the choice {t.label!r} to {t.target}"
    if t.kind == "default":
        return f"from {t.source}, the default choice to {t.target}"
    return f"from {t.source} to {t.target}"


def coverage_of(machine: Machine, runs: Iterable[tuple[str, ExecutionReport]]) -> Coverage:
    """Coverage of the machine by (scenario name, execution) pairs."""
    coverage = Coverage(machine)
    for scenario, report in runs:
        coverage.add(scenario, report)
    return coverage


__all__ = ["Coverage", "RetryRule", "coverage_of", "edges_taken"]
