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
    ({"StartAt": "A", "States": {"QueryLanguage": "Python", "A": {"Type": "Pass", "End": True}}},
     "Field 'QueryLanguage' has an invalid value: Python at /States/QueryLanguage"),
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


def _distributed(processor_config: dict[str, Any], **map_fields: Any) -> dict[str, Any]:
    return {"StartAt": "M", "States": {"M": {
        "Type": "Map", "End": True, **map_fields,
        "ItemProcessor": {"ProcessorConfig": processor_config, "StartAt": "P", "States": {"P": {"Type": "Pass",
                                                                                              "End": True}}}}}}


_DISTRIBUTED = {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"}
_S3_READER = {"Resource": "arn:aws:states:::s3:getObject", "ReaderConfig": {"InputType": "CSV",
                                                                            "CSVHeaderLocation": "FIRST_ROW"},
              "Parameters": {"Bucket": "b", "Key": "k.csv"}}
AWS_ACCEPTS = {
    "express child executions": _distributed({"Mode": "DISTRIBUTED", "ExecutionType": "EXPRESS"}),
    "ItemBatcher": _distributed(_DISTRIBUTED, ItemReader=_S3_READER, ItemBatcher={"MaxItemsPerBatch": 10,
                                                                                   "BatchInput": {"k": "v"}}),
    "an integer ToleratedFailurePercentage": _distributed(_DISTRIBUTED, ToleratedFailurePercentage=100),
    "ToleratedFailureCountPath": _distributed(_DISTRIBUTED, ToleratedFailureCountPath="$.n"),
    "a ReaderConfig without InputType": _distributed(_DISTRIBUTED, ItemReader={
        "Resource": "arn:aws:states:::s3:listObjectsV2", "ReaderConfig": {}, "Parameters": {"Bucket": "b"}}),
    "JSON Lines": _distributed(_DISTRIBUTED, ItemReader={
        "Resource": "arn:aws:states:::s3:getObject", "ReaderConfig": {"InputType": "JSONL"},
        "Parameters": {"Bucket": "b", "Key": "k.jsonl"}}),
    "a manifest": _distributed(_DISTRIBUTED, ItemReader={
        "Resource": "arn:aws:states:::s3:getObject", "ReaderConfig": {"InputType": "MANIFEST"},
        "Parameters": {"Bucket": "b", "Key": "manifest.json"}}),
    "ResultWriter and ItemSelector": _distributed(_DISTRIBUTED, ItemSelector={"v.$": "$$.Map.Item.Value"},
                                                  ResultWriter={"Resource": "arn:aws:states:::s3:putObject",
                                                                "Parameters": {"Bucket": "b", "Prefix": "out"}}),
    "the HTTP Task": {"StartAt": "H", "States": {"H": {
        "Type": "Task", "Resource": "arn:aws:states:::http:invoke", "End": True,
        "Parameters": {"ApiEndpoint": "https://example.com/api", "Method": "GET",
                       "Authentication": {"ConnectionArn": "arn:aws:events:us-east-1:123456789012:connection/c/1"}}}}},
    "a QueryLanguage member inside States": {"StartAt": "A", "States": {
        "QueryLanguage": "JSONata", "A": {"Type": "Pass", "Output": "{% $states.input %}", "End": True}}},
    "an unlisted States. name in ErrorEquals": {"StartAt": "A", "States": {
        "A": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "End": True,
              "Parameters": {"FunctionName": "f"},
              "Catch": [{"ErrorEquals": ["States.TaskFailedId"], "Next": "B"}]},
        "B": {"Type": "Fail", "Error": "States.Custom"}}},
}


@pytest.mark.parametrize("definition", list(AWS_ACCEPTS.values()), ids=list(AWS_ACCEPTS))
def test_create_accepts_what_aws_deploys(sfn: Any, definition: dict[str, Any]) -> None:
    text = json.dumps(definition)
    sm = sfn.create_state_machine(name=f"v-{uuid.uuid4().hex[:8]}", definition=text, roleArn=ROLE)
    # The definition is kept as sent, whatever the engine rewrote to parse it.
    assert sfn.describe_state_machine(stateMachineArn=sm["stateMachineArn"])["definition"] == text
    assert sfn.validate_state_machine_definition(definition=text)["result"] == "OK"


# Refused by moto's grammar, after the project's rules passed: AWS's code and diagnostic all the same.
PARSER_REFUSES = [
    (_distributed({"Mode": "DISTRIBUTED", "ExecutionType": "FAST"}),
     "SCHEMA_VALIDATION_FAILED", "/States/M/ItemProcessor/ProcessorConfig/ExecutionType"),
    ({"StartAt": "A", "States": {"A": {"Type": "Task", "Resource": "arn:aws:states:::nosuch:thing", "End": True}}},
     "SCHEMA_VALIDATION_FAILED", "/States/A/Resource"),
    ({"StartAt": "A", "States": {"A": {"Type": "Wait", "Seconds": "ten", "End": True}}},
     "SCHEMA_VALIDATION_FAILED", "/States/A/Seconds"),
]


@pytest.mark.parametrize("definition,code,location", PARSER_REFUSES)
def test_parser_refusals_are_aws_shaped(sfn: Any, definition: dict[str, Any], code: str, location: str) -> None:
    text = json.dumps(definition, indent=2)
    with pytest.raises(ClientError) as err:
        sfn.create_state_machine(name=f"v-{uuid.uuid4().hex[:8]}", definition=text, roleArn=ROLE)
    error = err.value.response["Error"]
    assert error["Code"] == "InvalidDefinition"
    assert error["Message"].startswith(f"Invalid State Machine Definition: '{code}: ")
    assert error["Message"].endswith(f" at {location}'")
    assert "Exception" not in error["Message"] and "Args=" not in error["Message"]
    result = sfn.validate_state_machine_definition(definition=text)
    assert result["result"] == "FAIL"
    assert [(d["severity"], d["code"], d["location"]) for d in result["diagnostics"]] == [("ERROR", code, location)]
