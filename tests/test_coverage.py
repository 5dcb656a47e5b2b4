"""State-machine coverage counts what executions took, nested machines included."""

from __future__ import annotations

from datetime import datetime

from harness.statemachine.coverage import coverage_of
from harness.statemachine.executions import ExecutionReport, StateVisit
from harness.statemachine.model import parse_machine

DEFINITION = {
    "StartAt": "Each",
    "States": {
        "Each": {
            "Type": "Map",
            "ItemProcessor": {"StartAt": "Work", "States": {"Work": {"Type": "Pass", "Next": "Done"},
                                                           "Done": {"Type": "Succeed"}}},
            "Next": "Check",
        },
        "Check": {
            "Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage",
            "Retry": [{"ErrorEquals": ["Busy"], "MaxAttempts": 2}],
            "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Failed"}],
            "Next": "Ok",
        },
        "Ok": {"Type": "Succeed"},
        "Failed": {"Type": "Fail"},
    },
}
NOW = datetime(2026, 1, 1)


def visit(name: str, failures: list[tuple[str, str]] | None = None, succeeded: bool = False) -> StateVisit:
    return StateVisit(name, "Pass", NOW, failures=failures or [], succeeded=succeeded)


def execution(*visits: StateVisit, status: str = "SUCCEEDED") -> ExecutionReport:
    return ExecutionReport("arn:x:execution:m:e", status, {}, {}, None, None, list(visits))


def test_a_map_and_its_iterations_count_their_own_transitions_and_the_exit_edge() -> None:
    run = execution(visit("Each"), visit("Work"), visit("Work"), visit("Done"), visit("Done"), visit("Check", succeeded=True), visit("Ok"))
    coverage = coverage_of(parse_machine(DEFINITION), [("happy", run)])
    taken = {edge for edge, scenarios in coverage.transitions.items() if scenarios}
    assert taken == {("Each", "Check", "next"), ("Work", "Done", "next"), ("Check", "Ok", "next")}
    assert coverage.uncovered() == [
        "the state Failed is never entered",
        "from Check, the catch States.ALL to Failed is never taken",
        "Check is never retried on Busy",
    ]


def test_a_retry_that_fired_and_a_catch_are_counted_for_their_scenario() -> None:
    run = execution(visit("Each"), visit("Check", failures=[("Busy", ""), ("Boom", "")]), visit("Failed"), status="FAILED")
    coverage = coverage_of(parse_machine(DEFINITION), [("sad", run)])
    assert coverage.retries[("Check", 0)] == {"sad"}
    assert coverage.transitions[("Check", "Failed", "catch")] == {"sad"}
    assert coverage.transitions[("Check", "Ok", "next")] == set()


def test_executions_of_another_machine_are_left_out() -> None:
    coverage = coverage_of(parse_machine(DEFINITION), [("other", execution(visit("Elsewhere")))])
    assert coverage.executions == 0
    assert coverage.figures()["states"]["covered"] == 0


def test_a_missed_heartbeat_reported_as_states_timeout_counts_for_a_retry_on_heartbeat_timeout() -> None:
    definition = {"StartAt": "Work", "States": {"Work": {
        "Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken", "HeartbeatSeconds": 5,
        "Retry": [{"ErrorEquals": ["Busy"]}, {"ErrorEquals": ["States.HeartbeatTimeout"], "MaxAttempts": 2}],
        "End": True}}}
    run = execution(visit("Work", failures=[("States.Timeout", "")], succeeded=True))
    coverage = coverage_of(parse_machine(definition), [("hung once", run)])
    assert coverage.retries == {("Work", 0): set(), ("Work", 1): {"hung once"}}
    assert coverage.retry_errors == {("Work", 1): {"States.Timeout"}}


def test_a_finished_map_has_ended_and_its_iterations_are_not_attempts() -> None:
    from harness.report.path import overlay
    from harness.statemachine.executions import path_from_history

    def event(kind: str, name: str, second: int) -> dict:
        key = "stateEnteredEventDetails" if kind.endswith("Entered") else "stateExitedEventDetails"
        return {"type": kind, "timestamp": datetime(2026, 1, 1, 0, 0, second), key: {"name": name}}

    path = path_from_history([
        event("MapStateEntered", "Each", 0),
        event("PassStateEntered", "Work", 1), event("PassStateExited", "Work", 2),
        event("PassStateEntered", "Work", 3), event("PassStateExited", "Work", 4),
        event("MapStateExited", "Each", 5),
        event("SucceedStateEntered", "Ok", 6), event("SucceedStateExited", "Ok", 6),
    ])
    each = path[0]
    assert each.name == "Each" and each.exited == datetime(2026, 1, 1, 0, 0, 5)
    assert [visit.exited.second for visit in path[1:3]] == [2, 4]
    drawn = overlay(parse_machine(DEFINITION), execution(*path))
    assert drawn.outcomes["Work"].attempts == 1 and drawn.outcomes["Work"].order == (2, 3)


def test_a_query_language_member_of_states_is_not_taken_for_a_state() -> None:
    # AWS accepts "QueryLanguage" inside States; every reader of the definition must too.
    from harness.statemachine.iam_policy import least_privilege_policy
    from harness.statemachine.rules import check_definition

    definition = {"StartAt": "A", "States": {"QueryLanguage": "JSONata", "A": {"Type": "Pass", "End": True}}}
    assert check_definition(definition, check_jsonata=lambda expression: None) == []
    assert [s.name for s in parse_machine(definition).states] == ["A"]
    assert least_privilege_policy(definition, {})["Statement"] == []
