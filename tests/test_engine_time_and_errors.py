"""Scaled time (SFN_TIME_SCALE=0.01 in the server fixture) and AWS's timeout error names."""

from __future__ import annotations

import json
import time
from typing import Any

from tests.engine_fixtures import run


def test_a_wait_state_waits_its_seconds_times_the_scale(sfn: Any) -> None:
    t0 = time.monotonic()
    d = run(sfn, {"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 300, "End": True}}}, {"a": 1})
    elapsed = time.monotonic() - t0
    assert d["status"] == "SUCCEEDED"
    assert elapsed < 20, f"a 300 s Wait at scale 0.01 took {elapsed:.1f} s"
    assert elapsed >= 2.5, f"the scaled Wait did not wait at all ({elapsed:.1f} s)"


def test_retry_intervals_are_scaled(sfn: Any) -> None:
    # Three retries at 100 s, 200 s, 400 s would take 700 s; scaled they take 7 s.
    definition = {"StartAt": "T", "States": {"T": {
        "Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage",
        "Parameters": {"QueueUrl": "http://no-such-queue.invalid/1/q", "MessageBody": "x"},
        "Retry": [{"ErrorEquals": ["States.ALL"], "IntervalSeconds": 100, "MaxAttempts": 3, "BackoffRate": 2}],
        "End": True}}}
    t0 = time.monotonic()
    d = run(sfn, definition, deadline_s=60)
    elapsed = time.monotonic() - t0
    assert d["status"] == "FAILED"
    assert 5 <= elapsed < 40, elapsed


def test_missed_heartbeat_is_states_timeout_and_caught_as_heartbeat_timeout(sfn: Any, sqs: Any) -> None:
    queue = sqs.create_queue(QueueName=f"hb-{time.time_ns()}")["QueueUrl"]
    task = {"Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
            "HeartbeatSeconds": 100, "TimeoutSeconds": 100000,
            "Parameters": {"QueueUrl": queue, "MessageBody": {"Token.$": "$$.Task.Token"}}}
    # Uncaught: AWS reports States.Timeout (recorded, and the guide: States.Timeout covers heartbeats).
    d = run(sfn, {"StartAt": "T", "States": {"T": {**task, "End": True}}})
    assert d["status"] == "FAILED"
    assert d["error"] == "States.Timeout"
    # A Catch on States.HeartbeatTimeout matches it (only inside Retry/Catch, per the guide).
    d = run(sfn, {"StartAt": "T", "States": {
        "T": {**task, "Catch": [{"ErrorEquals": ["States.HeartbeatTimeout"], "Next": "Caught"}], "End": True},
        "Caught": {"Type": "Pass", "End": True}}})
    assert d["status"] == "SUCCEEDED"
    assert json.loads(d["output"])["Error"] == "States.Timeout"


def test_plain_timeout_is_not_a_heartbeat_timeout(sfn: Any, sqs: Any) -> None:
    queue = sqs.create_queue(QueueName=f"to-{time.time_ns()}")["QueueUrl"]
    d = run(sfn, {"StartAt": "T", "States": {
        "T": {"Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
              "TimeoutSeconds": 100, "Parameters": {"QueueUrl": queue, "MessageBody": {"Token.$": "$$.Task.Token"}},
              "Catch": [{"ErrorEquals": ["States.HeartbeatTimeout"], "Next": "Wrong"}], "End": True},
        "Wrong": {"Type": "Pass", "End": True}}})
    assert d["status"] == "FAILED"
    assert d["error"] == "States.Timeout"


def test_callback_success_still_works(sfn: Any, sqs: Any) -> None:
    queue = sqs.create_queue(QueueName=f"cb-{time.time_ns()}")["QueueUrl"]
    definition = {"StartAt": "T", "States": {"T": {
        "Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
        "Parameters": {"QueueUrl": queue, "MessageBody": {"Token.$": "$$.Task.Token"}}, "End": True}}}
    import uuid

    from tests.engine_fixtures import ROLE, wait_until
    sm = sfn.create_state_machine(name=f"cb-{uuid.uuid4().hex[:8]}", definition=json.dumps(definition), roleArn=ROLE)
    ex = sfn.start_execution(stateMachineArn=sm["stateMachineArn"], input="{}")
    msgs = wait_until(lambda: sqs.receive_message(QueueUrl=queue).get("Messages"))
    token = json.loads(msgs[0]["Body"])["Token"]
    sfn.send_task_failure(taskToken=token, error="Boom", cause="because")
    d = wait_until(lambda: (x := sfn.describe_execution(executionArn=ex["executionArn"]))["status"] != "RUNNING" and x)
    assert d["status"] == "FAILED"
    assert (d["error"], d["cause"]) == ("Boom", "because")
