"""A callback task's token per attempt (engine.task_token_per_attempt), on the scaled emulator.

SFN_TIME_SCALE is 0.01 in the server fixture: HeartbeatSeconds 300 is 3 s here.
"""

from __future__ import annotations

import json
import time
import uuid
from typing import Any

import pytest
from botocore.exceptions import ClientError

from tests.engine_fixtures import ROLE, wait_until

CALLBACK = "arn:aws:states:::sqs:sendMessage.waitForTaskToken"
GONE = "TaskTimedOut"


def _callback_task(queue: str, **fields: Any) -> dict[str, Any]:
    body = {"Token.$": "$$.Task.Token", "Attempt.$": "$$.State.RetryCount", "State.$": "$$.State.Name"}
    return {"Type": "Task", "Resource": CALLBACK,
            "Parameters": {"QueueUrl": queue, "MessageBody": body}, **fields}


def _start(sfn: Any, definition: dict[str, Any]) -> str:
    sm = sfn.create_state_machine(name=f"tok-{uuid.uuid4().hex[:12]}", definition=json.dumps(definition),
                                  roleArn=ROLE)
    return str(sfn.start_execution(stateMachineArn=sm["stateMachineArn"], input="{}")["executionArn"])


def _next_message(sqs: Any, queue: str, deadline_s: float = 30.0) -> dict[str, Any]:
    """The next task the state machine sent, taken off the queue."""
    def receive() -> dict[str, Any] | None:
        messages = sqs.receive_message(QueueUrl=queue, WaitTimeSeconds=1).get("Messages")
        if not messages:
            return None
        sqs.delete_message(QueueUrl=queue, ReceiptHandle=messages[0]["ReceiptHandle"])
        return dict(json.loads(messages[0]["Body"]))

    return wait_until(receive, deadline_s)


def _ended(sfn: Any, execution: str) -> dict[str, Any]:
    return wait_until(lambda: (d := sfn.describe_execution(executionArn=execution))["status"] != "RUNNING" and d)


def _refused(call: Any, **kwargs: Any) -> str:
    with pytest.raises(ClientError) as refused:
        call(**kwargs)
    return str(refused.value.response["Error"]["Code"])


def _all_refused(sfn: Any, token: str) -> list[str]:
    return [_refused(sfn.send_task_heartbeat, taskToken=token),
            _refused(sfn.send_task_success, taskToken=token, output="{}"),
            _refused(sfn.send_task_failure, taskToken=token, error="Late", cause="a stale worker")]


def test_a_retry_after_a_missed_heartbeat_has_a_new_token_and_the_old_one_is_dead(sfn: Any, sqs: Any) -> None:
    queue = sqs.create_queue(QueueName=f"tok-retry-{uuid.uuid4().hex[:8]}")["QueueUrl"]
    task = _callback_task(queue, HeartbeatSeconds=300, TimeoutSeconds=100000, Retry=[
        {"ErrorEquals": ["States.HeartbeatTimeout"], "IntervalSeconds": 1, "MaxAttempts": 1}])
    execution = _start(sfn, {"StartAt": "T", "States": {"T": {**task, "End": True}}})

    first = _next_message(sqs, queue)
    sfn.send_task_heartbeat(taskToken=first["Token"])  # the live attempt takes its first heartbeat
    # No more heartbeats: the attempt times out and the Retry sends the task again.
    second = _next_message(sqs, queue)
    assert (first["Attempt"], second["Attempt"]) == (0, 1)
    assert second["Token"] != first["Token"], "the retry reused the first attempt's token"

    sfn.send_task_heartbeat(taskToken=second["Token"])
    assert _all_refused(sfn, first["Token"]) == [GONE, GONE, GONE]
    assert sfn.describe_execution(executionArn=execution)["status"] == "RUNNING"

    sfn.send_task_success(taskToken=second["Token"], output=json.dumps({"done": 2}))
    d = _ended(sfn, execution)
    assert d["status"] == "SUCCEEDED", d
    assert json.loads(d["output"]) == {"done": 2}


def test_a_retry_after_a_task_timeout_waits_for_its_own_callback(sfn: Any, sqs: Any) -> None:
    # Without HeartbeatSeconds: the attempt ends by TimeoutSeconds, and the retry has its own token.
    queue = sqs.create_queue(QueueName=f"tok-timeout-{uuid.uuid4().hex[:8]}")["QueueUrl"]
    task = _callback_task(queue, TimeoutSeconds=300, Retry=[
        {"ErrorEquals": ["States.Timeout"], "IntervalSeconds": 1, "MaxAttempts": 1}])
    execution = _start(sfn, {"StartAt": "T", "States": {"T": {**task, "End": True}}})

    first = _next_message(sqs, queue)
    second = _next_message(sqs, queue)
    assert second["Token"] != first["Token"]
    assert _refused(sfn.send_task_success, taskToken=first["Token"], output="{}") == GONE
    sfn.send_task_success(taskToken=second["Token"], output=json.dumps({"done": 2}))
    d = _ended(sfn, execution)
    assert d["status"] == "SUCCEEDED", d


def test_an_answered_task_refuses_its_token_while_the_execution_goes_on(sfn: Any, sqs: Any) -> None:
    queue = sqs.create_queue(QueueName=f"tok-done-{uuid.uuid4().hex[:8]}")["QueueUrl"]
    execution = _start(sfn, {"StartAt": "A", "States": {
        "A": {**_callback_task(queue, HeartbeatSeconds=300, TimeoutSeconds=100000), "Next": "B"},
        "B": {**_callback_task(queue, HeartbeatSeconds=300, TimeoutSeconds=100000), "End": True}}})

    a = _next_message(sqs, queue)
    assert a["State"] == "A"
    # The first heartbeat right after the message arrived is taken, not refused as not yet known.
    sfn.send_task_heartbeat(taskToken=a["Token"])
    sfn.send_task_success(taskToken=a["Token"], output=json.dumps({"a": 1}))
    b = _next_message(sqs, queue)
    assert b["State"] == "B"
    assert b["Token"] != a["Token"]

    # A is closed while the execution still runs (it waits for B): its token is dead.
    assert _all_refused(sfn, a["Token"]) == [GONE, GONE, GONE]
    sfn.send_task_failure(taskToken=b["Token"], error="Worker.Error", cause="failed on purpose")
    d = _ended(sfn, execution)
    assert (d["status"], d["error"], d["cause"]) == ("FAILED", "Worker.Error", "failed on purpose")
    # After the execution ended too, and B's own token after its failure.
    assert _all_refused(sfn, a["Token"]) == [GONE, GONE, GONE]
    assert _all_refused(sfn, b["Token"]) == [GONE, GONE, GONE]
    # A token no task was given is not a dead task's: it stays InvalidToken.
    assert _all_refused(sfn, f"never-issued-{time.time_ns()}") == ["InvalidToken"] * 3


def test_the_happy_path_still_completes_and_a_second_answer_is_refused(sfn: Any, sqs: Any) -> None:
    queue = sqs.create_queue(QueueName=f"tok-happy-{uuid.uuid4().hex[:8]}")["QueueUrl"]
    execution = _start(sfn, {"StartAt": "T", "States": {"T": {
        **_callback_task(queue, HeartbeatSeconds=300, TimeoutSeconds=100000), "ResultPath": "$.t", "End": True}}})
    token = _next_message(sqs, queue)["Token"]
    sfn.send_task_heartbeat(taskToken=token)
    sfn.send_task_success(taskToken=token, output=json.dumps({"ok": True}))
    assert _refused(sfn.send_task_success, taskToken=token, output=json.dumps({"ok": "twice"})) == GONE
    d = _ended(sfn, execution)
    assert d["status"] == "SUCCEEDED", d
    assert json.loads(d["output"]) == {"t": {"ok": True}}

