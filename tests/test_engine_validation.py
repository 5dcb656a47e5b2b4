"""Definitions AWS refuses are refused with InvalidDefinition naming the state and field."""

from __future__ import annotations

import json
import uuid
from typing import Any

import pytest
from botocore.exceptions import ClientError

from tests.engine_fixtures import ROLE

GOOD = {"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "B"}, "B": {"Type": "Succeed"}}}
BAD_CASES = [
    ({"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "Nope"}}},
     "MISSING_TRANSITION_TARGET: Missing 'Next' target: Nope at /States/A/Next"),
    ({"StartAt": "A", "States": {"A": {"Type": "Pass", "End": True}, "B": {"Type": "Pass", "End": True}}},
     'State "B" is not reachable. at /States/B'),
    ({"States": {"A": {"Type": "Pass", "End": True}}}, "These fields are required: [StartAt] at /"),
    ({"StartAt": "A", "States": {"A": {"Type": "Pass", "TimeoutSeconds": 3, "End": True}}},
     "Field 'TimeoutSeconds' is not supported at /States/A"),
    ({"StartAt": "A", "States": {"A": {"Type": "Pass", "InputPath": "nope", "End": True}}},
     "The value for the field 'InputPath' must be a valid JSONPath at /States/A/InputPath"),
    ({"QueryLanguage": "JSONata", "StartAt": "A", "States": {"A": {"Type": "Pass", "Output": "{% $x + %}",
                                                                 "End": True}}},
     "must be a valid JSONata expression"),
    ({"StartAt": "A", "States": {"A": {"Type": "Pass", "Output": {"a": 1}, "End": True}}},
     "The QueryLanguage is set to 'JSONPath', but field 'Output' is only supported for the 'JSONata'"),
]


@pytest.mark.parametrize("definition,expected", BAD_CASES)
def test_create_rejects(sfn: Any, definition: dict[str, Any], expected: str) -> None:
    with pytest.raises(ClientError) as err:
        sfn.create_state_machine(name=f"v-{uuid.uuid4().hex[:8]}", definition=json.dumps(definition), roleArn=ROLE)
    assert err.value.response["Error"]["Code"] == "InvalidDefinition"
    assert err.value.response["Error"]["Message"].startswith("Invalid State Machine Definition: '")
    assert expected in err.value.response["Error"]["Message"]


def test_update_rejects(sfn: Any) -> None:
    sm = sfn.create_state_machine(name=f"v-{uuid.uuid4().hex[:8]}", definition=json.dumps(GOOD), roleArn=ROLE)
    bad, expected = BAD_CASES[0]
    with pytest.raises(ClientError) as err:
        sfn.update_state_machine(stateMachineArn=sm["stateMachineArn"], definition=json.dumps(bad))
    assert err.value.response["Error"]["Code"] == "InvalidDefinition"
    assert expected in err.value.response["Error"]["Message"]


def test_validate_state_machine_definition(sfn: Any) -> None:
    ok = sfn.validate_state_machine_definition(definition=json.dumps(GOOD))
    assert ok["result"] == "OK" and ok["diagnostics"] == []
    bad = sfn.validate_state_machine_definition(definition=json.dumps(BAD_CASES[0][0]))
    assert bad["result"] == "FAIL"
    assert bad["diagnostics"][0]["code"] == "MISSING_TRANSITION_TARGET"
    assert bad["diagnostics"][0]["location"] == "/States/A/Next"


def test_every_aws_accepted_corpus_definition_passes_the_rules() -> None:
    # 691 definitions AWS accepted: the rules must refuse none of them.
    from pathlib import Path

    from harness.statemachine.rules import check_definition
    from harness.engine.jsonata_eval import check_syntax

    cases = Path(__file__).resolve().parents[2] / "shared" / "conformance" / "cases"
    files = sorted(cases.glob("*.json"))
    if not files:
        pytest.skip(f"no conformance corpus at {cases}")
    refused = [f.name for f in files if check_definition(json.loads(f.read_text())["definition"], check_syntax)]
    assert refused == []
