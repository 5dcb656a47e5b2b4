"""TestState mocks as AWS checks and uses them: fieldValidationMode against the integration's
answer, mocked Map and Parallel states with their stateConfiguration, and AWS's refusals."""

from __future__ import annotations

import json
from typing import Any

import pytest
from botocore.exceptions import ClientError

from tests.test_sfn_operations import operations_client


@pytest.fixture(scope="module")
def ops(endpoint: str) -> Any:
    return operations_client(endpoint)


def call(ops: Any, state: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
    return ops.test_state(definition=json.dumps(state), **kwargs)


def refused(ops: Any, state: dict[str, Any], **kwargs: Any) -> tuple[str, str]:
    with pytest.raises(ClientError) as err:
        call(ops, state, **kwargs)
    return err.value.response["Error"]["Code"], err.value.response["Error"]["Message"]


def task(resource: str) -> dict[str, Any]:
    return {"Type": "Task", "Resource": resource, "End": True}


SCHEMA = "Mock result schema validation error: "


@pytest.mark.parametrize("resource,result,message", [
    ("arn:aws:states:::sqs:sendMessage", {"MessageId": 5}, "Field 'MessageId' must be a string"),
    ("arn:aws:states:::states:startExecution", {}, "Required field 'ExecutionArn' is missing"),
    ("arn:aws:states:::states:startExecution", {"executionArn": "a", "startDate": "b"}, "Required field 'ExecutionArn' is missing"),
    ("arn:aws:states:::states:startExecution", {"ExecutionArn": "a", "StartDate": 1764103483}, "Field 'StartDate' must be a string"),
    ("arn:aws:states:::events:putEvents", {"Entries": "not a list"}, "Field 'Entries' must be an array"),
    ("arn:aws:states:::events:putEvents", {"Entries": [{"EventId": "a"}, {"EventId": ["b"]}]}, "Field 'EventId' must be a string"),
    ("arn:aws:states:::lambda:invoke", {"StatusCode": "200"}, "Field 'StatusCode' must be a number"),
    ("arn:aws:states:::dynamodb:putItem", {"ConsumedCapacity": {"CapacityUnits": "123.45"}}, "Field 'CapacityUnits' must be a number"),
    ("arn:aws:states:::aws-sdk:s3:getObject", {"ContentLength": "9000"}, "Field 'ContentLength' must be a number"),
    ("arn:aws:states:::aws-sdk:s3:getObject", {"StorageClass": "Papyrus"}, "Field 'StorageClass' is not an expected value"),
    ("arn:aws:states:::aws-sdk:kms:encrypt", {"CiphertextBlob": 123}, "Field 'CiphertextBlob' must be a string"),
    # Services the SDK integration names otherwise than botocore (acm-pca, logs): their answers are checked too.
    ("arn:aws:states:::aws-sdk:acmpca:describeCertificateAuthority", {"CertificateAuthority": "x"},
     "Field 'CertificateAuthority' must be an object"),
    ("arn:aws:states:::aws-sdk:cloudwatchlogs:describeLogGroups", {"LogGroups": "none"}, "Field 'LogGroups' must be an array"),
    ("arn:aws:states:::aws-sdk:kms:encrypt", {"CiphertextBlob": ""}, "Field 'CiphertextBlob' is smaller than the minimum length"),
    ("arn:aws:states:::aws-sdk:lambda:getFunction", {"Configuration": {"MemorySize": 127}}, "Field 'MemorySize' is less than the minimum value"),
])
def test_a_strict_mock_must_fit_the_api_answer(ops: Any, resource: str, result: Any, message: str) -> None:
    assert refused(ops, task(resource), mock={"result": json.dumps(result)}) == ("ValidationException", SCHEMA + message)


@pytest.mark.parametrize("resource,result", [
    ("arn:aws:states:::events:putEvents", {"random": "json"}),  # only the model's fields are checked
    ("arn:aws:states:::events:putEvents", {}),
    ("arn:aws:states:::sqs:sendMessage", {"MD5OfMessageBody": "d41d8cd98f00b204e9800998ecf8427e", "MessageId": "m-1"}),
    ("arn:aws:states:::sqs:sendMessage.waitForTaskToken", {"anything": ["the worker", "sent"]}),  # no API answer
])
def test_a_mock_that_fits_answers_the_task(ops: Any, resource: str, result: Any) -> None:
    answered = call(ops, task(resource), mock={"result": json.dumps(result)})
    assert (answered["status"], json.loads(answered["output"])) == ("SUCCEEDED", result)


def test_present_checks_only_the_fields_given_and_none_checks_nothing(ops: Any) -> None:
    start = task("arn:aws:states:::states:startExecution")
    assert call(ops, start, mock={"result": "{}", "fieldValidationMode": "PRESENT"})["status"] == "SUCCEEDED"
    assert refused(ops, start, mock={"result": '{"ExecutionArn": 1}', "fieldValidationMode": "PRESENT"}) == (
        "ValidationException", SCHEMA + "Field 'ExecutionArn' must be a string")
    assert call(ops, start, mock={"result": '{"ExecutionArn": 1}', "fieldValidationMode": "NONE"})["status"] == "SUCCEEDED"
    code, message = refused(ops, start, mock={"result": "{}", "fieldValidationMode": "LAX"})
    assert code == "ValidationException" and "mock.fieldValidationMode" in message


MAP = {"Type": "Map", "ItemsPath": "$.Values", "ResultPath": "$.result", "Next": "After",
       "ItemSelector": {"value.$": "$$.Map.Item.Value", "index.$": "$$.Map.Item.Index"},
       "ItemProcessor": {"StartAt": "HandleItem", "States": {"HandleItem": {"Type": "Pass", "End": True}}}}
VALUES = json.dumps({"Values": ["first", "second", "third"]})


def test_a_mocked_map_answers_with_the_result_and_inspects_its_items(ops: Any) -> None:
    result = call(ops, {**MAP, "MaxConcurrency": 2}, input=VALUES, mock={"result": "[1, 1, 1]"}, inspectionLevel="DEBUG")
    assert (result["status"], result["nextState"]) == ("SUCCEEDED", "After")
    assert json.loads(result["output"]) == {"Values": ["first", "second", "third"], "result": [1, 1, 1]}
    inspection = result["inspectionData"]
    assert inspection["maxConcurrency"] == 2
    assert json.loads(inspection["afterItemsPath"]) == ["first", "second", "third"]
    assert json.loads(inspection["afterItemSelector"]) == [{"value": "first", "index": 0}, {"value": "second", "index": 1},
                                                           {"value": "third", "index": 2}]


@pytest.mark.parametrize("tolerance,failed,status", [
    ({"ToleratedFailureCount": 1}, 1, "SUCCEEDED"),
    ({"ToleratedFailureCount": 1}, 2, "FAILED"),
    ({"ToleratedFailurePercentage": 50}, 1, "SUCCEEDED"),  # 33 % of three items
    ({"ToleratedFailurePercentage": 50}, 2, "FAILED"),  # 67 %
    ({}, 3, "SUCCEEDED"),  # a Map that declares no tolerance: the count is not held against it
])
def test_map_iteration_failures_beyond_the_tolerance_fail_the_map(ops: Any, tolerance: dict[str, Any], failed: int,
                                                                  status: str) -> None:
    result = call(ops, {**MAP, **tolerance}, input=VALUES, mock={"result": "[0, 0, 1]"}, inspectionLevel="DEBUG",
                  stateConfiguration={"mapIterationFailureCount": failed})
    assert result["status"] == status
    if status == "FAILED":
        assert (result["error"], result["cause"]) == ("States.ExceedToleratedFailureThreshold",
                                                      "The specified tolerated failure threshold was exceeded")
    if "ToleratedFailureCount" in tolerance:
        assert result["inspectionData"]["toleratedFailureCount"] == 1


def test_an_exceeded_tolerance_goes_to_the_map_s_retry_then_catch(ops: Any) -> None:
    handled = {**MAP, "ToleratedFailureCount": 1,
               "Retry": [{"ErrorEquals": ["States.ExceedToleratedFailureThreshold"], "MaxAttempts": 1}],
               "Catch": [{"ErrorEquals": ["States.ALL"], "ResultPath": "$.error", "Next": "HandleThreshold"}]}
    args = {"input": VALUES, "mock": {"result": "[1, 1, 1]"}, "inspectionLevel": "DEBUG"}
    first = call(ops, handled, **args, stateConfiguration={"mapIterationFailureCount": 2})
    assert (first["status"], first["inspectionData"]["errorDetails"]["retryIndex"]) == ("RETRIABLE", 0)
    spent = call(ops, handled, **args, stateConfiguration={"mapIterationFailureCount": 2, "retrierRetryCount": 1})
    assert (spent["status"], spent["nextState"]) == ("CAUGHT_ERROR", "HandleThreshold")


def test_map_item_reader_data_are_the_items_read(ops: Any) -> None:
    reading = {**MAP, "ToleratedFailurePercentage": 50,
               "ItemReader": {"Resource": "arn:aws:states:::s3:getObject", "ReaderConfig": {"InputType": "JSON"},
                              "Parameters": {"Bucket": "b", "Key": "k"}}}
    reading.pop("ItemsPath")
    args = {"input": "{}", "mock": {"result": "[1, 4, 9, 16]"}}
    config = {"mapItemReaderData": "[1, 2, 3, 4]", "mapIterationFailureCount": 2}
    assert call(ops, reading, **args, stateConfiguration=config)["status"] == "SUCCEEDED"  # 50 %: not more
    config["mapIterationFailureCount"] = 3
    assert call(ops, reading, **args, stateConfiguration=config)["error"] == "States.ExceedToleratedFailureThreshold"
    csv_reader = {**reading, "ItemReader": {**reading["ItemReader"], "ReaderConfig": {"InputType": "CSV",
                                                                                      "CSVHeaderLocation": "FIRST_ROW"}}}
    config = {"mapItemReaderData": "n,sq\n1,1\n2,4\n", "mapIterationFailureCount": 2}
    assert call(ops, csv_reader, **args, stateConfiguration=config)["status"] == "FAILED"  # 2 of 2 rows


PARALLEL = {"Type": "Parallel", "Next": "After", "Branches": [
    {"StartAt": "A", "States": {"A": {"Type": "Pass", "End": True}}},
    {"StartAt": "B", "States": {"B": {"Type": "Pass", "Next": "C"}, "C": {"Type": "Pass", "End": True}}}]}


def test_a_mocked_parallel_answers_with_one_result_per_branch(ops: Any) -> None:
    result = call(ops, PARALLEL, mock={"result": '["a", "b"]'})
    assert (result["status"], json.loads(result["output"]), result["nextState"]) == ("SUCCEEDED", ["a", "b"], "After")
    failed = call(ops, PARALLEL, mock={"errorOutput": {"error": "Branch.Failed", "cause": "C"}},
                  stateConfiguration={"errorCausedByState": "C"})
    assert (failed["status"], failed["error"], failed["cause"]) == ("FAILED", "Branch.Failed", "C")


@pytest.mark.parametrize("state,kwargs,code,message", [
    ({"Type": "Pass", "End": True}, {"mock": {"result": "{}"}}, "ValidationException",
     "State type 'Pass' is not supported when a mock is specified"),
    (task("arn:aws:states:::sqs:sendMessage"), {"mock": {"result": "{}", "errorOutput": {"error": "E"}}}, "ValidationException",
     "A test mock should have only one of the following fields: [result, errorOutput]."),
    (task("arn:aws:states:::sqs:sendMessage"), {"mock": {"result": "{}"}, "revealSecrets": True}, "ValidationException",
     "TestState does not support RevealSecrets when a mock is specified."),
    (MAP, {"mock": {"result": "{}"}}, "ValidationException", "Mocked result must be an array."),
    ({**MAP, "ResultWriter": {"Resource": "arn:aws:states:::s3:putObject", "Parameters": {"Bucket": "b", "Prefix": "p"}}},
     {"mock": {"result": "[]"}}, "ValidationException", "Mocked result must be a JSON object."),
    (PARALLEL, {"mock": {"result": '["only one"]'}}, "ValidationException",
     "Mocked result must contain the same number of items as number of Parallel branches."),
    (PARALLEL, {}, "InvalidDefinition", "TestState API does not support Map or Parallel states. Supported state types "
                                        "include: [Task, Wait, Pass, Succeed, Fail, Choice]"),
    (task("arn:aws:states:::sqs:sendMessage.waitForTaskToken"), {}, "InvalidDefinition",
     "TestState only supports Activity tasks, .sync or .waitForTaskToken service integration patterns when a mock is specified"),
])
def test_requests_aws_refuses_with_its_words(ops: Any, state: dict[str, Any], kwargs: dict[str, Any], code: str,
                                             message: str) -> None:
    assert refused(ops, state, **kwargs) == (code, message)


@pytest.mark.parametrize("state,config,mock,words", [
    (task("arn:aws:states:::sqs:sendMessage"), {"mapIterationFailureCount": 1}, {"result": "{}"}, "is for a Map state"),
    (MAP, {"mapItemReaderData": "[]"}, {"result": "[]"}, "for a Map state with an ItemReader"),
    (PARALLEL, {"errorCausedByState": "Nowhere"}, {"errorOutput": {"error": "E"}}, "no state named 'Nowhere'"),
    (PARALLEL, {"errorCausedByState": "A"}, {"result": '["a", "b"]'}, "needs a mock errorOutput"),
    (task("arn:aws:states:::sqs:sendMessage"), {"errorCausedByState": "A"}, {"errorOutput": {"error": "E"}},
     "is for a Map or Parallel state"),
])
def test_a_configuration_field_where_it_means_nothing_is_refused_by_name(
        ops: Any, state: dict[str, Any], config: dict[str, Any], mock: dict[str, Any], words: str) -> None:
    code, message = refused(ops, state, input=VALUES, mock=mock, stateConfiguration=config)
    assert code == "ValidationException" and words in message
