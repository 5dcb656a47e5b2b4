"""What one execution did on its state machine: the order of visits, retries, the failure, edges taken."""

from __future__ import annotations

from dataclasses import dataclass, field

from harness.statemachine.coverage import all_transitions, edges_taken, retry_errors
from harness.statemachine.executions import ExecutionReport
from harness.statemachine.model import Machine, all_states


@dataclass(frozen=True)
class StateOutcome:
    """How one state fared across all its visits in one execution."""

    order: tuple[int, ...]  # 1-based positions on the path; a loop gives several
    attempts: int
    failures: tuple[tuple[str, str], ...]  # (error, cause) of every failed attempt
    # The state the execution's failure came from (its first failing state).
    failed: bool
    # Said under the state instead of its steps (the coverage view: how many scenarios entered it).
    caption: str = ""


@dataclass(frozen=True)
class RetryOutcome:
    """How often one Retry rule of a state sent it round again, and on which errors."""

    times: int
    errors: tuple[str, ...] = ()  # the errors that fired it, each once, in the order seen
    # Said on the loop instead of the count (the coverage view: how many scenarios it fired in).
    caption: str = ""


@dataclass
class PathOverlay:
    outcomes: dict[str, StateOutcome] = field(default_factory=dict)
    taken: set[tuple[str, str, str]] = field(default_factory=set)  # (source, target, kind)
    # (state, index of its Retry rule) -> what that rule did; absent: it never fired.
    retries: dict[tuple[str, int], RetryOutcome] = field(default_factory=dict)
    entered_first: str | None = None
    status: str = ""

    def visited(self, name: str) -> bool:
        return name in self.outcomes


def visit_attempts(machine: Machine, report: ExecutionReport) -> list[int]:
    """Attempts per visit on the path.

    A Task state's history counts its attempts (``StateVisit.scheduled``). For other states it
    does not say outright whether the last attempt failed: it did when the state left through a
    Catch, or when it was the last state of an execution that did not succeed.
    """
    catches = {(t.source, t.target) for t in all_transitions(machine) if t.kind == "catch"}
    counts = []
    for position, visit in enumerate(report.path):
        if visit.scheduled or not visit.failures:
            counts.append(visit.attempts)
            continue
        following = report.path[position + 1].name if position + 1 < len(report.path) else None
        last_failed = (visit.name, following) in catches if following else report.status != "SUCCEEDED"
        counts.append(len(visit.failures) + (0 if last_failed else 1))
    return counts


def overlay(machine: Machine, report: ExecutionReport) -> PathOverlay:
    failed = report.failed_state
    orders: dict[str, list[int]] = {}
    failures: dict[str, list[tuple[str, str]]] = {}
    attempts: dict[str, int] = {}
    for position, (visit, tries) in enumerate(zip(report.path, visit_attempts(machine, report)), start=1):
        orders.setdefault(visit.name, []).append(position)
        failures.setdefault(visit.name, []).extend(visit.failures)
        # Attempts are counted within a visit: entering a state again (a Map's next iteration, a
        # loop) is another visit, shown by its step numbers, not another attempt.
        attempts[visit.name] = max(attempts.get(visit.name, 0), tries)
    result = PathOverlay(status=report.status, entered_first=report.path[0].name if report.path else None)
    for name, positions in orders.items():
        result.outcomes[name] = StateOutcome(
            order=tuple(positions),
            attempts=attempts[name],
            failures=tuple(failures[name]),
            failed=failed is not None and failed.name == name,
        )
    result.taken = edges_taken(machine, report)
    result.retries = retry_outcomes(machine, report)
    return result


def retry_outcomes(machine: Machine, report: ExecutionReport) -> dict[tuple[str, int], RetryOutcome]:
    nodes = {node.name: node for node in all_states(machine)}
    fired: dict[tuple[str, int], list[str]] = {}
    for visit in report.path:
        if visit.name in nodes:
            for index, errors in retry_errors(nodes[visit.name], visit).items():
                fired.setdefault((visit.name, index), []).extend(errors)
    return {key: RetryOutcome(len(errors), tuple(dict.fromkeys(errors))) for key, errors in fired.items()}
