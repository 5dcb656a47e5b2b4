"""RedriveExecution of a Parallel or inline Map state: only the branches and iterations that did
not succeed run again, each from the state inside it that failed."""

from __future__ import annotations

import json
import uuid
from typing import Any

from tests.engine_fixtures import ROLE, wait_until

# Fails until the execution has been redriven once.
FAILS_FIRST = "{% $states.context.Execution.RedriveCount > 0 ? $merge([$states.input, {'redone': true}]) : $error('not yet') %}"


def _pass(output: str, next_state: str | None = None) -> dict[str, Any]:
    state: dict[str, Any] = {"Type": "Pass", "Output": output}
    state.update({"Next": next_state} if next_state else {"End": True})
    return state


def _failed_then_redriven(sfn: Any, definition: dict[str, Any], payload: Any) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """Run it (it fails), redrive it; its end and the history events since the redrive."""
    machine = sfn.create_state_machine(name=f"rb-{uuid.uuid4().hex[:8]}", definition=json.dumps(definition),
                                       roleArn=ROLE)["stateMachineArn"]
    arn = sfn.start_execution(stateMachineArn=machine, input=json.dumps(payload))["executionArn"]

    def ended(redrives: int) -> dict[str, Any] | None:
        d = sfn.describe_execution(executionArn=arn)
        return d if d["status"] != "RUNNING" and d["redriveCount"] >= redrives else None

    assert wait_until(lambda: ended(0))["status"] == "FAILED"
    sfn.redrive_execution(executionArn=arn)
    described = wait_until(lambda: ended(1))
    events = sfn.get_execution_history(executionArn=arn)["events"]
    since = next(i for i, e in enumerate(events) if e["type"] == "ExecutionRedriven")
    return described, events[since:]


def _entered(events: list[dict[str, Any]]) -> list[str]:
    return [e["stateEnteredEventDetails"]["name"] for e in events if e["type"].endswith("StateEntered")]


def test_a_parallel_state_redrives_only_its_failed_branch_from_the_state_that_failed(sfn: Any) -> None:
    definition = {"QueryLanguage": "JSONata", "StartAt": "Before", "States": {
        "Before": _pass("{% $merge([$states.input, {'before': true}]) %}", "Fan"),
        "Fan": {"Type": "Parallel", "End": True, "Branches": [
            {"StartAt": "Quick", "States": {"Quick": _pass("{% 'quick' %}")}},
            {"StartAt": "Slow", "States": {
                "Slow": {"Type": "Wait", "Seconds": 100, "Next": "Flaky"},  # 1 s here: the others end first
                "Flaky": _pass(FAILS_FIRST)}},
            {"StartAt": "Other", "States": {"Other": _pass("{% {'other': $states.input.n} %}")}},
        ]}}}
    described, since = _failed_then_redriven(sfn, definition, {"n": 7})
    assert described["status"] == "SUCCEEDED"
    assert json.loads(described["output"]) == ["quick", {"n": 7, "before": True, "redone": True}, {"other": 7}]
    # Before succeeded; Fan is entered again; of its branches only the failed one, at Flaky.
    assert _entered(since) == ["Fan", "Flaky"]


def test_an_inline_map_redrives_its_failed_iteration_and_those_never_started(sfn: Any) -> None:
    item_fails_first = ("{% $states.input.n = 2 and $states.context.Execution.RedriveCount = 0 ? $error('item 2') : "
                        "$merge([$states.input, {'done': $states.context.Map.Item.Index}]) %}")
    definition = {"QueryLanguage": "JSONata", "StartAt": "Each", "States": {
        "Each": {"Type": "Map", "Items": "{% $states.input.items %}", "MaxConcurrency": 1, "End": True,
                 "ItemSelector": {"n": "{% $states.context.Map.Item.Value %}"},
                 "ItemProcessor": {"ProcessorConfig": {"Mode": "INLINE"}, "StartAt": "Prep", "States": {
                     "Prep": _pass("{% $merge([$states.input, {'prepped': true}]) %}", "Work"),
                     "Work": _pass(item_fails_first)}}}}}
    described, since = _failed_then_redriven(sfn, definition, {"items": [0, 1, 2, 3]})
    assert described["status"] == "SUCCEEDED"
    assert json.loads(described["output"]) == [{"n": n, "prepped": True, "done": n} for n in range(4)]
    started = [e["mapIterationStartedEventDetails"]["index"] for e in since if e["type"] == "MapIterationStarted"]
    assert started == [2, 3]  # 0 and 1 succeeded the first time; 3 never started
    # Item 2 carries on at Work, where it failed; item 3 runs whole.
    assert _entered(since) == ["Each", "Work", "Prep", "Work"]


def test_a_map_inside_a_parallel_branch_is_redriven_likewise(sfn: Any) -> None:
    definition = {"QueryLanguage": "JSONata", "StartAt": "Fan", "States": {
        "Fan": {"Type": "Parallel", "End": True, "Branches": [
            {"StartAt": "Fine", "States": {"Fine": _pass("{% 'fine' %}")}},
            {"StartAt": "Lead", "States": {
                "Lead": {"Type": "Wait", "Seconds": 50, "Next": "Inner"},
                "Inner": {"Type": "Map", "Items": "{% [1, 2] %}", "MaxConcurrency": 1, "End": True, "ItemProcessor": {
                    "ProcessorConfig": {"Mode": "INLINE"}, "StartAt": "Step", "States": {
                        "Step": _pass("{% $states.input = 2 and $states.context.Execution.RedriveCount = 0 ? "
                                      "$error('two') : $states.input * 10 %}")}}}}},
        ]}}}
    described, since = _failed_then_redriven(sfn, definition, {})
    assert described["status"] == "SUCCEEDED"
    assert json.loads(described["output"]) == ["fine", [10, 20]]
    assert _entered(since) == ["Fan", "Inner", "Step"]
    assert [e["mapIterationStartedEventDetails"]["index"] for e in since if e["type"] == "MapIterationStarted"] == [1]
