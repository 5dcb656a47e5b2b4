"""RedriveExecution: AWS's rules, the re-run from the state that failed, and the redrive figures."""

from __future__ import annotations

import datetime
import json
import uuid
from types import SimpleNamespace
from typing import Any

import pytest
from botocore.exceptions import ClientError

from harness.engine import redrive_rules
from tests.engine_fixtures import ROLE, wait_until

# Fails on its first run only: the Flaky state reads how often the execution was redriven.
FLAKY = {"QueryLanguage": "JSONata", "StartAt": "First", "States": {
    "First": {"Type": "Pass", "Output": "{% $merge([$states.input, {'first': $count($states.input.runs)}]) %}",
              "Assign": {"firstRuns": "{% 1 %}"}, "Next": "Flaky"},
    "Flaky": {"Type": "Pass",
              "Output": "{% $states.context.Execution.RedriveCount > 0 ? $merge([$states.input, {'redriven': "
                        "$states.context.Execution.RedriveCount}]) : $error('first run fails') %}",
              "End": True}}}


def _ended(sfn: Any, arn: str) -> dict[str, Any]:
    return wait_until(lambda: (d := sfn.describe_execution(executionArn=arn))["status"] != "RUNNING" and d)


@pytest.fixture
def failed(sfn: Any) -> str:
    machine = sfn.create_state_machine(name=f"r-{uuid.uuid4().hex[:8]}", definition=json.dumps(FLAKY),
                                       roleArn=ROLE)["stateMachineArn"]
    arn = sfn.start_execution(stateMachineArn=machine, input='{"id":"r1"}')["executionArn"]
    assert _ended(sfn, arn)["status"] == "FAILED"
    return arn


def test_a_failed_execution_is_redrivable_and_never_redriven(sfn: Any, failed: str) -> None:
    described = sfn.describe_execution(executionArn=failed)
    assert (described["redriveCount"], described["redriveStatus"]) == (0, "REDRIVABLE")
    assert "redriveDate" not in described


def test_redrive_reruns_from_the_failed_state_with_its_input(sfn: Any, failed: str) -> None:
    redrive_date = sfn.redrive_execution(executionArn=failed)["redriveDate"]
    described = _ended(sfn, failed)
    assert described["status"] == "SUCCEEDED"
    assert json.loads(described["output"]) == {"id": "r1", "first": 0, "redriven": 1}
    assert (described["redriveCount"], described["redriveDate"]) == (1, redrive_date)
    events = sfn.get_execution_history(executionArn=failed)["events"]
    types = [e["type"] for e in events]
    assert types.count("PassStateEntered") == 3  # First once, Flaky twice
    redriven = next(e for e in events if e["type"] == "ExecutionRedriven")
    assert redriven["executionRedrivenEventDetails"] == {"redriveCount": 1}
    assert [e["id"] for e in events] == list(range(1, len(events) + 1))
    listed = sfn.list_executions(stateMachineArn=described["stateMachineArn"], redriveFilter="REDRIVEN")
    assert [(e["executionArn"], e["redriveCount"]) for e in listed["executions"]] == [(failed, 1)]


def test_a_succeeded_execution_is_not_redrivable(sfn: Any, failed: str) -> None:
    sfn.redrive_execution(executionArn=failed)
    assert _ended(sfn, failed)["redriveStatus"] == "NOT_REDRIVABLE"
    with pytest.raises(ClientError) as err:
        sfn.redrive_execution(executionArn=failed)
    assert err.value.response["Error"]["Code"] == "ExecutionNotRedrivable"
    assert "SUCCEEDED" in err.value.response["Error"]["Message"]


@pytest.mark.parametrize("status,age_days,redrivable", [
    ("FAILED", 13, True), ("ABORTED", 0, True), ("TIMED_OUT", 0, True),
    ("FAILED", 15, False), ("SUCCEEDED", 0, False), ("RUNNING", 0, False),
])
def test_the_rules_of_redrive(status: str, age_days: int, redrivable: bool) -> None:
    now = datetime.datetime(2026, 1, 20, tzinfo=datetime.timezone.utc)
    execution = SimpleNamespace(status=status, stop_date=now - datetime.timedelta(days=age_days))
    assert redrive_rules.redrive_status(execution, now)[0] is redrivable


def test_the_same_client_token_redrives_once(sfn: Any, failed: str) -> None:
    first = sfn.redrive_execution(executionArn=failed, clientToken="retried-call-1")["redriveDate"]
    _ended(sfn, failed)
    again = sfn.redrive_execution(executionArn=failed, clientToken="retried-call-1")["redriveDate"]
    assert again == first
    assert sfn.describe_execution(executionArn=failed)["redriveCount"] == 1


def test_the_history_reads_newest_first_a_page_at_a_time(sfn: Any, failed: str) -> None:
    everything = sfn.get_execution_history(executionArn=failed)["events"]
    newest = sfn.get_execution_history(executionArn=failed, reverseOrder=True, maxResults=2)
    assert [e["id"] for e in newest["events"]] == [everything[-1]["id"], everything[-2]["id"]]
    rest = sfn.get_execution_history(executionArn=failed, reverseOrder=True, nextToken=newest["nextToken"])
    assert [e["id"] for e in newest["events"] + rest["events"]] == [e["id"] for e in reversed(everything)]
    assert "nextToken" not in rest
    bare = sfn.get_execution_history(executionArn=failed, includeExecutionData=False)["events"]
    entered = next(e for e in bare if e["type"] == "PassStateEntered")["stateEnteredEventDetails"]
    assert "input" not in entered and entered["name"] == "First"
    with pytest.raises(ClientError) as err:
        sfn.get_execution_history(executionArn=failed, nextToken="not-a-token")
    assert err.value.response["Error"]["Code"] == "InvalidToken"
