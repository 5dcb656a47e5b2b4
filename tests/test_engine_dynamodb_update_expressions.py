"""UpdateItem with its expression parsed once and, for a new item, validated once
(engine.dynamodb_update_expressions) answers as moto's two parses and validations did."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from botocore.exceptions import ClientError
from hamcrest import assert_that, equal_to, has_entries

from harness.aws_clients import Clients


def _table(emulator: Clients, **extra: Any) -> str:
    table = f"t-{uuid.uuid4().hex[:8]}"
    emulator.dynamodb.create_table(
        TableName=table, KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}], BillingMode="PAY_PER_REQUEST",
        **extra)
    return table


def _item(emulator: Clients, table: str, key: str) -> dict[str, Any]:
    return dict(emulator.dynamodb.get_item(TableName=table, Key={"id": {"S": key}}, ConsistentRead=True)["Item"])


def test_one_expression_with_other_values_writes_each_its_own(emulator: Clients) -> None:
    table = _table(emulator)
    expression = "SET #s = :s, tally = if_not_exists(tally, :zero) + :one, tags = list_append(if_not_exists(tags, :none), :tag)"
    for key, status in (("a", "RECEIVED"), ("b", "FETCHED"), ("a", "COMPLETE")):
        emulator.dynamodb.update_item(
            TableName=table, Key={"id": {"S": key}}, UpdateExpression=expression,
            ExpressionAttributeNames={"#s": "status"},
            ExpressionAttributeValues={":s": {"S": status}, ":zero": {"N": "0"}, ":one": {"N": "1"},
                                       ":none": {"L": []}, ":tag": {"L": [{"S": status}]}})
    assert_that(_item(emulator, table, "a"), has_entries(
        status={"S": "COMPLETE"}, tally={"N": "2"}, tags={"L": [{"S": "RECEIVED"}, {"S": "COMPLETE"}]}))
    assert_that(_item(emulator, table, "b"), has_entries(
        status={"S": "FETCHED"}, tally={"N": "1"}, tags={"L": [{"S": "FETCHED"}]}))


def test_a_new_item_refuses_an_expression_naming_its_key_and_is_not_created(emulator: Clients) -> None:
    table = _table(emulator)
    with pytest.raises(ClientError) as refused:
        emulator.dynamodb.update_item(
            TableName=table, Key={"id": {"S": "k1"}}, UpdateExpression="SET copy = if_not_exists(id, :d)",
            ExpressionAttributeValues={":d": {"S": "default"}})
    assert_that(refused.value.response["Error"]["Message"], equal_to(
        "One or more parameter values were invalid: Cannot update attribute id. This attribute is part of the key"))
    assert_that("Item" in emulator.dynamodb.get_item(TableName=table, Key={"id": {"S": "k1"}}), equal_to(False))


def test_a_new_item_refuses_a_read_of_a_missing_attribute_and_is_not_created(emulator: Clients) -> None:
    table = _table(emulator)
    with pytest.raises(ClientError) as refused:
        emulator.dynamodb.update_item(
            TableName=table, Key={"id": {"S": "k2"}}, UpdateExpression="SET a = missing + :one",
            ExpressionAttributeValues={":one": {"N": "1"}})
    assert_that(refused.value.response["Error"]["Code"], equal_to("ValidationException"))
    assert_that("Item" in emulator.dynamodb.get_item(TableName=table, Key={"id": {"S": "k2"}}), equal_to(False))


def test_an_expression_that_does_not_parse_is_refused_the_same_way_each_time(emulator: Clients) -> None:
    table = _table(emulator)

    def message() -> str:
        with pytest.raises(ClientError) as refused:
            emulator.dynamodb.update_item(TableName=table, Key={"id": {"S": "k3"}},
                                          UpdateExpression="SET path = VALUE 1")
        return str(refused.value.response["Error"]["Message"])

    first = message()
    assert_that(first, equal_to('Invalid UpdateExpression: Syntax error; token: "1", near: "VALUE 1"'))
    assert_that(message(), equal_to(first))


def test_a_streams_old_image_is_the_item_before_the_update(emulator: Clients) -> None:
    table = _table(emulator, StreamSpecification={"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"})
    key = {"id": {"S": "k4"}}
    emulator.dynamodb.put_item(TableName=table, Item={**key, "n": {"N": "1"}})
    emulator.dynamodb.update_item(TableName=table, Key=key, UpdateExpression="SET n = n + :one",
                                  ExpressionAttributeValues={":one": {"N": "1"}})
    streams = emulator.client("dynamodbstreams")
    arn = emulator.dynamodb.describe_table(TableName=table)["Table"]["LatestStreamArn"]
    shard = streams.describe_stream(StreamArn=arn)["StreamDescription"]["Shards"][0]["ShardId"]
    iterator = streams.get_shard_iterator(StreamArn=arn, ShardId=shard, ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
    modify = [r for r in streams.get_records(ShardIterator=iterator)["Records"] if r["eventName"] == "MODIFY"]
    assert_that([(r["dynamodb"]["OldImage"]["n"], r["dynamodb"]["NewImage"]["n"]) for r in modify],
                equal_to([({"N": "1"}, {"N": "2"})]))
