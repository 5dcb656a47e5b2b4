"""The apps' shared loop against a real emulator: answers, dead letters, redelivery."""

from __future__ import annotations

import json
import threading
import uuid
from typing import Any

import pytest
from botocore.exceptions import ClientError

from harness.aws_clients import Clients
from harness.statemachine.executions import wait_for_end
from workers.callback import ReadThenWrite, callback_handler
from workers.errors import TaskError
from workers.queue_loop import QueueConsumer


def _queue_with_dlq(clients: Clients) -> tuple[str, str, str]:
    name = f"q-{uuid.uuid4().hex[:8]}"
    dlq = clients.sqs.create_queue(QueueName=f"{name}-dlq")["QueueUrl"]
    dlq_arn = clients.sqs.get_queue_attributes(QueueUrl=dlq, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    redrive = json.dumps({"deadLetterTargetArn": dlq_arn, "maxReceiveCount": "2"})
    url = clients.sqs.create_queue(QueueName=name, Attributes={"RedrivePolicy": redrive, "VisibilityTimeout": "0"})[
        "QueueUrl"
    ]
    return name, url, dlq


def _consume_one(consumer: QueueConsumer) -> None:
    consumer.queue_url = consumer.sqs.get_queue_url(QueueName=consumer.queue_name)["QueueUrl"]
    consumer.read_queue_settings()
    messages = consumer.sqs.receive_message(
        QueueUrl=consumer.queue_url, MaxNumberOfMessages=1, WaitTimeSeconds=1, AttributeNames=["ApproximateReceiveCount"]
    ).get("Messages", [])
    assert messages, "a message was expected on the queue"
    consumer.process(messages[0])


def _callback_machine(clients: Clients, queue_url: str) -> str:
    definition = {
        "StartAt": "Work",
        "States": {
            "Work": {
                "Type": "Task",
                "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
                "Parameters": {"QueueUrl": queue_url, "MessageBody": {"taskToken.$": "$$.Task.Token", "input.$": "$"}},
                "HeartbeatSeconds": 30,
                "End": True,
            }
        },
    }
    return clients.stepfunctions.create_state_machine(
        name=f"m-{uuid.uuid4().hex[:8]}", definition=json.dumps(definition), roleArn="arn:aws:iam::123456789012:role/r"
    )["stateMachineArn"]


def _start(clients: Clients, machine: str, task_input: dict[str, Any]) -> str:
    return clients.stepfunctions.start_execution(
        stateMachineArn=machine, name=uuid.uuid4().hex, input=json.dumps(task_input)
    )["executionArn"]


def test_the_queue_settings_are_read_in_one_request_to_the_queue(app_environment: Clients) -> None:
    name, url, dlq = _queue_with_dlq(app_environment)
    consumer = QueueConsumer("tester", name, callback_handler(lambda i: i, heartbeat_interval=5))
    consumer.queue_url = url
    asked: list[str] = []
    consumer.sqs.meta.events.register("before-call.sqs", lambda model, **_: asked.append(model.name))
    consumer.read_queue_settings()
    assert (consumer.dlq_url, consumer.max_receive_count, consumer.visibility_timeout) == (dlq, 2, 0)
    assert asked == ["GetQueueAttributes", "GetQueueUrl"]


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        ("{not json", "not JSON"),
        ('{"input": {}}', "no taskToken"),
        ('["a list"]', "must be a JSON object"),
        ('{"taskToken": "t", "input": 5}', "input must be a JSON object"),
    ],
)
def test_a_poison_message_goes_to_the_dead_letter_queue_with_the_reason(app_environment: Clients, body: str, reason: str) -> None:
    clients = app_environment
    name, url, dlq = _queue_with_dlq(clients)
    clients.sqs.send_message(QueueUrl=url, MessageBody=body)
    consumer = QueueConsumer("tester", name, callback_handler(lambda i: i, heartbeat_interval=5), wait_seconds=1)
    _consume_one(consumer)

    dead = clients.sqs.receive_message(QueueUrl=dlq, MessageAttributeNames=["All"], WaitTimeSeconds=1)["Messages"]
    assert dead[0]["Body"] == body
    assert reason in dead[0]["MessageAttributes"]["RejectionReason"]["StringValue"]
    assert dead[0]["MessageAttributes"]["RejectedBy"]["StringValue"] == "tester"
    assert clients.sqs.receive_message(QueueUrl=url, WaitTimeSeconds=0).get("Messages") is None


def test_a_task_result_is_sent_back_and_the_message_deleted(app_environment: Clients) -> None:
    clients = app_environment
    name, url, _ = _queue_with_dlq(clients)
    execution = _start(clients, _callback_machine(clients, url), {"n": 2})
    consumer = QueueConsumer("tester", name, callback_handler(lambda i: {"double": i["n"] * 2}, heartbeat_interval=5))
    _consume_one(consumer)

    report = wait_for_end(clients.stepfunctions, execution, timeout=10)
    assert (report.status, report.output) == ("SUCCEEDED", {"double": 4})
    assert clients.sqs.receive_message(QueueUrl=url, WaitTimeSeconds=0).get("Messages") is None


def test_a_named_error_fails_the_task_with_its_name_and_cause(app_environment: Clients) -> None:
    clients = app_environment
    name, url, _ = _queue_with_dlq(clients)
    execution = _start(clients, _callback_machine(clients, url), {})

    def refuse(task_input: dict[str, Any]) -> dict[str, Any]:
        raise TaskError("the company is unknown", error_name="Sec.NotFound")

    _consume_one(QueueConsumer("tester", name, callback_handler(refuse, heartbeat_interval=5)))
    report = wait_for_end(clients.stepfunctions, execution, timeout=10)
    assert (report.status, report.error, report.cause) == ("FAILED", "Sec.NotFound", "the company is unknown")
    assert report.failed_state is not None and report.failed_state.name == "Work"


def test_an_unexpected_exception_fails_the_task_as_a_worker_error(app_environment: Clients) -> None:
    clients = app_environment
    name, url, _ = _queue_with_dlq(clients)
    execution = _start(clients, _callback_machine(clients, url), {})
    _consume_one(QueueConsumer("tester", name, callback_handler(lambda i: i["missing"], heartbeat_interval=5)))
    report = wait_for_end(clients.stepfunctions, execution, timeout=10)
    assert (report.error, report.cause) == ("Worker.Error", "KeyError: 'missing'")


def test_a_handler_that_crashes_leaves_the_message_for_redelivery(app_environment: Clients) -> None:
    clients = app_environment
    name, url, _ = _queue_with_dlq(clients)
    clients.sqs.send_message(QueueUrl=url, MessageBody="keep me")

    def crash(message: dict[str, Any]) -> None:
        raise RuntimeError("disk full")

    _consume_one(QueueConsumer("tester", name, crash))
    again = clients.sqs.receive_message(QueueUrl=url, WaitTimeSeconds=1, AttributeNames=["ApproximateReceiveCount"])
    assert again["Messages"][0]["Body"] == "keep me"
    assert again["Messages"][0]["Attributes"]["ApproximateReceiveCount"] == "2"


def test_a_task_too_large_to_take_is_answered_by_name_not_dead_lettered(app_environment: Clients) -> None:
    clients = app_environment
    name, url, dlq = _queue_with_dlq(clients)
    execution = _start(clients, _callback_machine(clients, url), {"pad": "x" * 100_000})
    _consume_one(QueueConsumer("tester", name, callback_handler(lambda i: {}, heartbeat_interval=5)))
    report = wait_for_end(clients.stepfunctions, execution, timeout=10)
    assert (report.status, report.error) == ("FAILED", "Task.InputTooLarge")
    assert "a task from the state machine is at most" in (report.cause or "")
    assert clients.sqs.receive_message(QueueUrl=dlq, WaitTimeSeconds=0).get("Messages") is None
    assert clients.sqs.receive_message(QueueUrl=url, WaitTimeSeconds=0).get("Messages") is None


def test_a_huge_message_without_a_token_is_set_aside_unparsed_as_too_big(app_environment: Clients) -> None:
    clients = app_environment
    name, url, dlq = _queue_with_dlq(clients)
    clients.sqs.send_message(QueueUrl=url, MessageBody=json.dumps({"input": {}, "pad": "x" * 100_000}))
    _consume_one(QueueConsumer("tester", name, callback_handler(lambda i: i, heartbeat_interval=5)))
    [dead] = clients.sqs.receive_message(QueueUrl=dlq, MessageAttributeNames=["All"], WaitTimeSeconds=1)["Messages"]
    assert "a task from the state machine is at most" in dead["MessageAttributes"]["RejectionReason"]["StringValue"]


def test_an_output_over_the_step_functions_limit_fails_the_task_by_name(app_environment: Clients) -> None:
    clients = app_environment
    name, url, _ = _queue_with_dlq(clients)
    execution = _start(clients, _callback_machine(clients, url), {})
    huge = {"filings": ["x" * 1000] * 300}
    _consume_one(QueueConsumer("tester", name, callback_handler(lambda i: huge, heartbeat_interval=5)))
    report = wait_for_end(clients.stepfunctions, execution, timeout=10)
    assert (report.status, report.error) == ("FAILED", "Task.OutputTooLarge")
    assert "Step Functions takes at most 262144" in (report.cause or "")


def _machine_sending(clients: Clients, queue_url: str, input_value: Any) -> str:
    definition = {
        "StartAt": "Work",
        "States": {
            "Work": {
                "Type": "Task",
                "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
                "Parameters": {"QueueUrl": queue_url, "MessageBody": {"taskToken.$": "$$.Task.Token", "input": input_value}},
                "HeartbeatSeconds": 30,
                "End": True,
            }
        },
    }
    return clients.stepfunctions.create_state_machine(
        name=f"m-{uuid.uuid4().hex[:8]}", definition=json.dumps(definition), roleArn="arn:aws:iam::123456789012:role/r"
    )["stateMachineArn"]


def test_a_task_whose_input_is_not_an_object_is_answered_by_name_not_dead_lettered(app_environment: Clients) -> None:
    clients = app_environment
    name, url, dlq = _queue_with_dlq(clients)
    execution = _start(clients, _machine_sending(clients, url, 5), {})
    _consume_one(QueueConsumer("tester", name, callback_handler(lambda i: {}, heartbeat_interval=5)))
    report = wait_for_end(clients.stepfunctions, execution, timeout=10)
    assert (report.status, report.error) == ("FAILED", "Task.InvalidInput")
    assert clients.sqs.receive_message(QueueUrl=dlq, WaitTimeSeconds=0).get("Messages") is None


def test_an_aws_call_that_keeps_failing_is_answered_on_the_last_delivery(app_environment: Clients) -> None:
    clients = app_environment
    name, url, dlq = _queue_with_dlq(clients)  # maxReceiveCount 2, visibility 0
    execution = _start(clients, _callback_machine(clients, url), {})

    def denied(task_input: dict[str, Any]) -> dict[str, Any]:
        raise ClientError({"Error": {"Code": "AccessDeniedException", "Message": "not allowed"}}, "PutItem")

    consumer = QueueConsumer("tester", name, callback_handler(denied, heartbeat_interval=5))
    _consume_one(consumer)  # first delivery: left for another try
    assert clients.stepfunctions.describe_execution(executionArn=execution)["status"] == "RUNNING"
    _consume_one(consumer)  # last delivery: answered
    report = wait_for_end(clients.stepfunctions, execution, timeout=10)
    assert (report.status, report.error) == ("FAILED", "Worker.AwsError")
    assert "AccessDeniedException" in (report.cause or "")
    assert clients.sqs.receive_message(QueueUrl=dlq, WaitTimeSeconds=0).get("Messages") is None


def test_a_two_step_task_reads_while_the_app_asks_whether_its_task_is_still_wanted(app_environment: Clients) -> None:
    clients = app_environment
    name, url, _ = _queue_with_dlq(clients)
    execution = _start(clients, _callback_machine(clients, url), {"n": 2})
    reading = threading.Event()
    read_during_the_question: list[bool] = []
    sfn = clients.client("stepfunctions")
    # The first heartbeat (the question) goes out only once the read has begun, or after 2 s.
    sfn.meta.events.register(
        "before-call.sfn.SendTaskHeartbeat",
        lambda **_: read_during_the_question.append(reading.wait(2)) if not read_during_the_question else None,
    )

    def read(task_input: dict[str, Any]) -> int:
        reading.set()
        return int(task_input["n"])

    task = ReadThenWrite(read, lambda task_input, n: {"double": n * 2})
    _consume_one(QueueConsumer("tester", name, callback_handler(task, heartbeat_interval=5, sfn=sfn)))
    report = wait_for_end(clients.stepfunctions, execution, timeout=10)
    assert (report.status, report.output) == ("SUCCEEDED", {"double": 4})
    assert read_during_the_question == [True], "the read waited for the answer to the heartbeat"


def test_a_stale_two_step_task_is_read_but_never_written(app_environment: Clients) -> None:
    clients = app_environment
    name, url, _ = _queue_with_dlq(clients)
    execution = _start(clients, _callback_machine(clients, url), {"n": 2})
    # Answered by someone else once its message is on the queue: the message comes again, stale.
    received = clients.sqs.receive_message(QueueUrl=url, WaitTimeSeconds=5).get("Messages", [])
    assert received, "the task's message never came"
    token = json.loads(received[0]["Body"])["taskToken"]
    clients.stepfunctions.send_task_success(taskToken=token, output="{}")
    assert wait_for_end(clients.stepfunctions, execution, timeout=10).status == "SUCCEEDED"
    read: list[int] = []
    written: list[int] = []
    task = ReadThenWrite(lambda task_input: read.append(1) or 2, lambda task_input, n: written.append(n) or {})
    _consume_one(QueueConsumer("tester", name, callback_handler(task, heartbeat_interval=5)))
    assert (read, written) == ([1], [])
    assert clients.sqs.receive_message(QueueUrl=url, WaitTimeSeconds=0).get("Messages") is None
