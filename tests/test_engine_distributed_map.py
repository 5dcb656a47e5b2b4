"""A Distributed Map over S3 runs on the emulator as AWS's guide describes it."""

from __future__ import annotations

import gzip
import json
import uuid
from typing import Any

import pytest

from tests.engine_fixtures import client, run

DISTRIBUTED = {"Mode": "DISTRIBUTED", "ExecutionType": "EXPRESS"}
ECHO = {"StartAt": "Echo", "States": {"Echo": {"Type": "Pass", "End": True}}}
# Fails for an item whose "fail" is true, passes the others through.
FAIL_SOME = {"StartAt": "Check", "States": {
    "Check": {"Type": "Choice", "Choices": [{"Variable": "$.fail", "BooleanEquals": True, "Next": "Boom"}],
              "Default": "Fine"},
    "Boom": {"Type": "Fail", "Error": "Item.Bad", "Cause": "asked to fail"},
    "Fine": {"Type": "Pass", "End": True}}}


@pytest.fixture
def s3(endpoint: str) -> Any:
    return client(endpoint, "s3")


@pytest.fixture
def bucket(s3: Any) -> str:
    name = f"dmap-{uuid.uuid4().hex[:10]}"
    s3.create_bucket(Bucket=name)
    return name


def distributed_map(reader: dict[str, Any] | None = None, processor: dict[str, Any] = ECHO,
                    **fields: Any) -> dict[str, Any]:
    state = {"Type": "Map", "End": True, "ItemProcessor": {"ProcessorConfig": DISTRIBUTED, **processor}, **fields}
    if reader is not None:
        state["ItemReader"] = reader
    return {"StartAt": "Each", "States": {"Each": state}}


def get_object(bucket: str, key: str, input_type: str | None = None, **config: Any) -> dict[str, Any]:
    reader: dict[str, Any] = {"Resource": "arn:aws:states:::s3:getObject",
                              "Parameters": {"Bucket": bucket, "Key": key}}
    if input_type:
        reader["ReaderConfig"] = {"InputType": input_type, **config}
    return reader


def succeeded(sfn: Any, definition: dict[str, Any], payload: Any = None) -> Any:
    result = run(sfn, definition, payload)
    assert result["status"] == "SUCCEEDED", (result.get("error"), result.get("cause"))
    return json.loads(result["output"])


def test_object_listing_with_max_items(sfn: Any, s3: Any, bucket: str) -> None:
    for key in ("a.txt", "b.txt", "c.txt"):
        s3.put_object(Bucket=bucket, Key=key, Body=b"x")
    listing = {"Resource": "arn:aws:states:::s3:listObjectsV2", "Parameters": {"Bucket": bucket},
               "ReaderConfig": {"MaxItems": 2}}
    output = succeeded(sfn, distributed_map(listing, ItemSelector={"key.$": "$$.Map.Item.Value.Key"}))
    assert output == [{"key": "a.txt"}, {"key": "b.txt"}]


def test_csv_rows(sfn: Any, s3: Any, bucket: str) -> None:
    s3.put_object(Bucket=bucket, Key="rows.csv", Body=b"name,qty\napple,3\npear,5\n")
    output = succeeded(sfn, distributed_map(get_object(bucket, "rows.csv", "CSV", CSVHeaderLocation="FIRST_ROW")))
    assert output == [{"name": "apple", "qty": "3"}, {"name": "pear", "qty": "5"}]


def test_object_listing_items_are_json(sfn: Any, s3: Any, bucket: str) -> None:
    s3.put_object(Bucket=bucket, Key="only.txt", Body=b"xyz")
    listing = {"Resource": "arn:aws:states:::s3:listObjectsV2", "Parameters": {"Bucket": bucket}}
    [item] = succeeded(sfn, distributed_map(listing))
    assert (item["Key"], item["Size"]) == ("only.txt", 3)
    assert isinstance(item["LastModified"], str)


def test_json_array(sfn: Any, s3: Any, bucket: str) -> None:
    s3.put_object(Bucket=bucket, Key="items.json", Body=json.dumps([{"n": 1}, {"n": 2}]).encode())
    assert succeeded(sfn, distributed_map(get_object(bucket, "items.json", "JSON"))) == [{"n": 1}, {"n": 2}]


def test_json_lines(sfn: Any, s3: Any, bucket: str) -> None:
    s3.put_object(Bucket=bucket, Key="items.jsonl", Body=b'{"n": 1}\n{"n": 2}\n\n{"n": 3}\n')
    output = succeeded(sfn, distributed_map(get_object(bucket, "items.jsonl", "JSONL", MaxItems=2)))
    assert output == [{"n": 1}, {"n": 2}]


def test_s3_inventory_manifest(sfn: Any, s3: Any, bucket: str) -> None:
    s3.put_object(Bucket=bucket, Key="inventory/data/part-1.csv.gz",
                  Body=gzip.compress(b'"src","docs/a.pdf","10"\n"src","docs/b.pdf","20"\n'))
    manifest = {"sourceBucket": "src", "destinationBucket": f"arn:aws:s3:::{bucket}", "fileFormat": "CSV",
                "fileSchema": "Bucket, Key, Size", "files": [{"key": "inventory/data/part-1.csv.gz"}]}
    s3.put_object(Bucket=bucket, Key="inventory/manifest.json", Body=json.dumps(manifest).encode())
    output = succeeded(sfn, distributed_map(get_object(bucket, "inventory/manifest.json", "MANIFEST")))
    assert output == [{"Bucket": "src", "Key": "docs/a.pdf", "Size": "10"},
                      {"Bucket": "src", "Key": "docs/b.pdf", "Size": "20"}]


def test_item_batcher_groups_items_with_batch_input(sfn: Any) -> None:
    definition = distributed_map(ItemsPath="$.items",
                                 ItemBatcher={"MaxItemsPerBatch": 2, "BatchInput": {"run.$": "$.run"}})
    output = succeeded(sfn, definition, {"run": "r1", "items": [1, 2, 3, 4, 5]})
    assert output == [{"Items": [1, 2], "BatchInput": {"run": "r1"}}, {"Items": [3, 4], "BatchInput": {"run": "r1"}},
                      {"Items": [5], "BatchInput": {"run": "r1"}}]


ITEMS = [{"fail": False}, {"fail": True}, {"fail": False}, {"fail": True}]


def test_a_failed_child_fails_the_map_when_nothing_is_tolerated(sfn: Any) -> None:
    result = run(sfn, distributed_map(processor=FAIL_SOME, ItemsPath="$.items"), {"items": ITEMS})
    assert result["status"] == "FAILED"
    assert result["error"] == "States.ExceedToleratedFailureThreshold"


@pytest.mark.parametrize("tolerance,payload,status", [
    ({"ToleratedFailureCount": 2}, {}, "SUCCEEDED"),
    ({"ToleratedFailureCount": 1}, {}, "FAILED"),
    ({"ToleratedFailurePercentage": 50}, {}, "SUCCEEDED"),
    ({"ToleratedFailurePercentage": 25}, {}, "FAILED"),
    ({"ToleratedFailureCountPath": "$.tolerate"}, {"tolerate": 2}, "SUCCEEDED"),
    ({"ToleratedFailurePercentagePath": "$.tolerate"}, {"tolerate": 10}, "FAILED"),
])
def test_tolerated_failures(sfn: Any, tolerance: dict[str, Any], payload: dict[str, Any], status: str) -> None:
    result = run(sfn, distributed_map(processor=FAIL_SOME, ItemsPath="$.items", **tolerance),
                 {"items": ITEMS, **payload})
    assert result["status"] == status, result
    if status == "SUCCEEDED":
        output = json.loads(result["output"])
        assert output[1] == {"Error": "Item.Bad", "Cause": "asked to fail"}
        assert output[0] == {"fail": False}


def test_result_writer_writes_results_and_manifest(sfn: Any, s3: Any, bucket: str) -> None:
    writer = {"Resource": "arn:aws:states:::s3:putObject", "Parameters": {"Bucket": bucket, "Prefix": "out"}}
    output = succeeded(sfn, distributed_map(processor=FAIL_SOME, ItemsPath="$.items", ResultWriter=writer,
                                            ToleratedFailureCount=5), {"items": ITEMS})
    details = output["ResultWriterDetails"]
    assert details["Bucket"] == bucket and details["Key"].startswith("out/")
    manifest = json.loads(s3.get_object(Bucket=bucket, Key=details["Key"])["Body"].read())
    assert manifest["MapRunArn"] == output["MapRunArn"]
    [ok_file] = manifest["ResultFiles"]["SUCCEEDED"]
    [failed_file] = manifest["ResultFiles"]["FAILED"]
    succeeded_rows = json.loads(s3.get_object(Bucket=bucket, Key=ok_file["Key"])["Body"].read())
    failed_rows = json.loads(s3.get_object(Bucket=bucket, Key=failed_file["Key"])["Body"].read())
    assert [json.loads(r["Input"]) for r in succeeded_rows] == [ITEMS[0], ITEMS[2]]
    assert [(r["Status"], r["Error"]) for r in failed_rows] == [("FAILED", "Item.Bad"), ("FAILED", "Item.Bad")]


def test_map_runs_are_listed_and_described(sfn: Any) -> None:
    definition = distributed_map(ItemsPath="$.items", Label="Counting", ToleratedFailurePercentage=10)
    result = run(sfn, definition, {"items": [1, 2, 3]})
    assert result["status"] == "SUCCEEDED"
    [listed] = sfn.list_map_runs(executionArn=result["executionArn"])["mapRuns"]
    described = sfn.describe_map_run(mapRunArn=listed["mapRunArn"])
    assert described["status"] == "SUCCEEDED"
    assert described["toleratedFailurePercentage"] == 10
    assert described["itemCounts"]["succeeded"] == 3 and described["itemCounts"]["total"] == 3


def test_jsonata_reader_batcher_and_tolerance(sfn: Any, s3: Any, bucket: str) -> None:
    s3.put_object(Bucket=bucket, Key="in.jsonl", Body=b'{"fail": false}\n{"fail": true}\n{"fail": false}\n')
    definition = {"QueryLanguage": "JSONata", "StartAt": "Each", "States": {"Each": {
        "Type": "Map", "End": True,
        "ItemReader": {"Resource": "arn:aws:states:::s3:getObject", "ReaderConfig": {"InputType": "JSONL"},
                       "Arguments": {"Bucket": bucket, "Key": "{% $states.input.key %}"}},
        "ItemBatcher": {"MaxItemsPerBatch": 3},
        "ToleratedFailurePercentage": "{% $states.input.tolerate %}",
        "ItemProcessor": {"ProcessorConfig": DISTRIBUTED, "StartAt": "Count", "States": {
            "Count": {"Type": "Pass", "Output": "{% $count($states.input.Items) %}", "End": True}}}}}}
    assert succeeded(sfn, definition, {"key": "in.jsonl", "tolerate": 0}) == [3]


def test_batch_limits_from_a_variable_and_a_byte_limit(sfn: Any) -> None:
    # As recorded on AWS: a path may name a variable, and a limit held as text counts as its number.
    definition = distributed_map(ItemsPath="$.items", ItemBatcher={"MaxItemsPerBatchPath": "$perBatch",
                                                                    "MaxInputBytesPerBatch": 40})
    definition["StartAt"] = "Limits"
    definition["States"]["Limits"] = {"Type": "Pass", "Assign": {"perBatch": "3"}, "Next": "Each"}
    output = succeeded(sfn, definition, {"items": ["aaaaaaaaaa", "bbbbbbbbbb", "cccccccccc", "d"]})
    # {"Items": [three of ten letters]} is 48 bytes, over 40: two to a batch, then the rest.
    assert output == [{"Items": ["aaaaaaaaaa", "bbbbbbbbbb"]}, {"Items": ["cccccccccc", "d"]}]
