"""Steps for a workflow that processes every item of a stored data set in parallel (Distributed Map).

Each scenario deploys its own small state machine beside the pipeline's (same role, same bucket,
its own prefix) and removes it, and what it stored, afterwards. A child fails on an item whose
"readable" is "no", as a document that cannot be read would.
"""

from __future__ import annotations

import json
import uuid
from typing import Any

from behave import fixture, given, then, when
from behave.fixture import use_fixture
from hamcrest import assert_that, contains_inanyorder, equal_to, has_length

from harness.statemachine.executions import wait_for_end
from steps.pipeline_context import placeholder

# One child per item: an unreadable item fails, any other is "processed" (its id echoed back).
CHILD = {"StartAt": "Read", "States": {
    "Read": {"Type": "Choice", "Default": "Processed",
             "Choices": [{"Variable": "$.readable", "StringEquals": "no", "Next": "Unreadable"}]},
    "Unreadable": {"Type": "Fail", "Error": "Document.Unreadable", "Cause": "the document cannot be read"},
    "Processed": {"Type": "Pass", "Parameters": {"processed.$": "$.id"}, "End": True}}}


def _bucket(context: Any) -> str:
    return placeholder(context, "FilingsBucketName")


@fixture
def data_set_prefix(context: Any) -> Any:
    """A prefix of the pipeline's bucket for this scenario's data set; emptied afterwards."""
    context.data_prefix = f"data-sets/{uuid.uuid4().hex[:12]}/"
    yield context.data_prefix
    s3 = context.stack.aws.s3
    listed = s3.list_objects_v2(Bucket=_bucket(context), Prefix=context.data_prefix).get("Contents", [])
    for obj in listed:
        s3.delete_object(Bucket=_bucket(context), Key=obj["Key"])


@fixture
def deployed_workflow(context: Any, definition: dict[str, Any]) -> Any:
    """A state machine of this scenario, with the pipeline's role; deleted afterwards."""
    sfn = context.stack.aws.stepfunctions
    role = sfn.describe_state_machine(stateMachineArn=context.stack.provisioned.state_machine_arn)["roleArn"]
    name = f"{context.settings.resource_prefix}-each-item-{uuid.uuid4().hex[:8]}"
    created = sfn.create_state_machine(name=name, definition=json.dumps(definition), roleArn=role)
    arn = created["stateMachineArn"]
    yield arn
    sfn.delete_state_machine(stateMachineArn=arn)


def _store(context: Any, name: str, body: str) -> str:
    key = context.data_prefix + name
    context.stack.aws.s3.put_object(Bucket=_bucket(context), Key=key, Body=body.encode())
    return key


def _stored_file(context: Any, name: str, body: str, reader_config: dict[str, Any]) -> dict[str, Any]:
    """Store a data set file; the ItemReader that reads it."""
    key = _store(context, name, body)
    return {"Resource": "arn:aws:states:::s3:getObject", "ReaderConfig": reader_config,
            "Parameters": {"Bucket": _bucket(context), "Key": key}}


def _documents(count: int, unreadable: int = 0) -> list[dict[str, str]]:
    return [{"id": f"doc-{i:03d}", "readable": "no" if i < unreadable else "yes"} for i in range(count)]


@given("a list of {count:d} documents stored as a CSV file")
def step_csv_list(context: Any, count: int) -> None:
    use_fixture(data_set_prefix, context)
    context.documents = _documents(count)
    rows = "id,readable\n" + "".join(f"{d['id']},{d['readable']}\n" for d in context.documents)
    context.item_reader = _stored_file(context, "list.csv", rows,
                                       {"InputType": "CSV", "CSVHeaderLocation": "FIRST_ROW"})


@given("a list of {count:d} documents stored as JSON Lines, {unreadable:d} of them unreadable")
def step_jsonl_list(context: Any, count: int, unreadable: int) -> None:
    use_fixture(data_set_prefix, context)
    context.documents = _documents(count, unreadable)
    lines = "".join(json.dumps(d) + "\n" for d in context.documents)
    context.item_reader = _stored_file(context, "list.jsonl", lines, {"InputType": "JSONL"})


@given("{count:d} documents stored under one folder")
def step_folder(context: Any, count: int) -> None:
    use_fixture(data_set_prefix, context)
    context.documents = [{"id": context.data_prefix + f"folder/doc-{i:03d}.txt"} for i in range(count)]
    for doc in context.documents:
        _store(context, doc["id"][len(context.data_prefix):], "text")
    folder = context.data_prefix + "folder/"
    context.item_reader = {"Resource": "arn:aws:states:::s3:listObjectsV2",
                           "Parameters": {"Bucket": _bucket(context), "Prefix": folder}}


def _process_each(context: Any, **map_fields: Any) -> None:
    definition = {"StartAt": "EachDocument", "States": {"EachDocument": {
        "Type": "Map", "End": True, "Label": "EachDocument", "ItemReader": context.item_reader,
        "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "EXPRESS"}, **CHILD},
        "ResultWriter": {"Resource": "arn:aws:states:::s3:putObject",
                         "Parameters": {"Bucket": _bucket(context), "Prefix": f"{context.data_prefix}results"}},
        **map_fields}}}
    if context.item_reader["Resource"].endswith("listObjectsV2"):
        definition["States"]["EachDocument"]["ItemSelector"] = {"id.$": "$$.Map.Item.Value.Key"}
    arn = use_fixture(deployed_workflow, context, definition)
    sfn = context.stack.aws.stepfunctions
    execution = sfn.start_execution(stateMachineArn=arn, input="{}")["executionArn"]
    context.each_run = wait_for_end(sfn, execution, context.settings.execution_timeout)


@when("a workflow processes every document in parallel")
def step_process_all(context: Any) -> None:
    _process_each(context)


@when("a workflow processes every document in parallel, tolerating {percent:d} percent of failures")
def step_process_tolerating(context: Any, percent: int) -> None:
    _process_each(context, ToleratedFailurePercentage=percent)


def _result_rows(context: Any, status: str) -> list[dict[str, Any]]:
    s3 = context.stack.aws.s3
    details = context.each_run.output["ResultWriterDetails"]
    manifest = json.loads(s3.get_object(Bucket=details["Bucket"], Key=details["Key"])["Body"].read())
    rows: list[dict[str, Any]] = []
    for result_file in manifest["ResultFiles"][status]:
        rows += json.loads(s3.get_object(Bucket=details["Bucket"], Key=result_file["Key"])["Body"].read())
    return rows


@then("every document has been processed once, and the results are stored")
def step_all_processed(context: Any) -> None:
    assert_that(context.each_run.status, equal_to("SUCCEEDED"), context.each_run.summary())
    processed = [json.loads(row["Output"])["processed"] for row in _result_rows(context, "SUCCEEDED")]
    assert_that(processed, contains_inanyorder(*[d["id"] for d in context.documents]))


@then("the processing succeeds with {done:d} documents processed and {failed:d} failed")
def step_partly_processed(context: Any, done: int, failed: int) -> None:
    assert_that(context.each_run.status, equal_to("SUCCEEDED"), context.each_run.summary())
    assert_that(_result_rows(context, "SUCCEEDED"), has_length(done))
    errors = [row["Error"] for row in _result_rows(context, "FAILED")]
    assert_that(errors, equal_to(["Document.Unreadable"] * failed))


@then("the processing fails because too many documents failed")
def step_too_many_failed(context: Any) -> None:
    assert_that(context.each_run.status, equal_to("FAILED"), context.each_run.summary())
    assert_that(context.each_run.error, equal_to("States.ExceedToleratedFailureThreshold"))


@then("the run is recorded with {total:d} documents, {failed:d} of them failed")
def step_map_run_counts(context: Any, total: int, failed: int) -> None:
    sfn = context.stack.aws.stepfunctions
    [run] = sfn.list_map_runs(executionArn=context.each_run.arn)["mapRuns"]
    counts = sfn.describe_map_run(mapRunArn=run["mapRunArn"])["itemCounts"]
    assert_that((counts["total"], counts["failed"]), equal_to((total, failed)))
