"""Steps that put messages no app can use on the pipeline's queues, as an outsider might."""

from __future__ import annotations

import json
import uuid

from behave import then, when
from hamcrest import all_of, assert_that, equal_to, not_none

from harness.waiting import wait_until
from steps.phrases import reason_of
from steps.pipeline_context import assert_set_aside, placeholder, wait_until_set_aside

QUEUES = {"request": ("RequestQueue", "dispatcher"), "ingest": ("IngestQueue", "ingest"),
          "utilities": ("UtilitiesQueue", "utilities"), "validator": ("ValidatorQueue", "validator")}
# Past every app's limit, inside SQS's 256 KiB, with room for the reason the app adds.
HUGE = 200_000


def poison_body(kind: str, queue: str, marker: str) -> str:
    """A message of that kind, carrying a marker so it can be found again in a dead-letter queue."""
    if kind == "is not JSON":
        return f"<request id={marker}> not json"
    if kind == "has no task token":
        return json.dumps({"input": {"request_id": marker, "cik": "320193", "form_type": "10-K"}})
    if kind == "has fields of the wrong types":
        if queue == "request":
            return json.dumps({"request_id": marker, "cik": ["320193"], "form_type": 10})
        return json.dumps({"taskToken": 42, "input": [marker]})
    if kind == "is huge":
        return json.dumps({"request_id": marker, "cik": "320193", "form_type": "10-K", "pad": "x" * HUGE})
    raise ValueError(f"no poison message of kind {kind!r}")


@when("an outsider puts a message that {kind} on the {queue} queue")
def step_poison(context, kind, queue):
    logical, context.poisoned_app = QUEUES[queue]
    context.poisoned_queue, context.poison_marker = logical, f"poison-{uuid.uuid4().hex[:12]}"
    context.app_pid_before = context.stack.app_pid(context.poisoned_app)
    assert_that(context.app_pid_before, not_none(), f"the {context.poisoned_app} app is not running to begin with")
    context.poison = poison_body(kind, queue, context.poison_marker)
    sent = context.stack.aws.sqs.send_message(QueueUrl=placeholder(context, f"{logical}Url"), MessageBody=context.poison)
    context.poison_message_id = sent["MessageId"]


@then("the message is set aside for an operator because {reason}")
def step_poison_dead_lettered(context, reason):
    message = wait_until_set_aside(
        context, context.poisoned_queue, context.poison_marker,
        f"the poison message to reach the {context.poisoned_queue} dead-letter queue",
    )
    context.set_aside_because = reason_of(reason)
    assert_set_aside(message, context.poisoned_app, context.set_aside_because)
    assert_that(message["Body"], equal_to(context.poison), "the message set aside, kept whole")


@then("the app logged why it set the message aside")
def step_reason_logged(context):
    # The app logs once the copy is in the dead-letter queue: the line may trail the message.
    def reason_line() -> str | None:
        lines = context.stack.app_output(context.poisoned_app).splitlines()
        words = context.set_aside_because.words  # the same reason as the one kept with the message
        return next((l for l in lines if context.poison_message_id in l and "dead-letter" in l and words in l), None)

    wait_until(reason_line, timeout=5, awaited=f"a log line about message {context.poison_message_id}")


@then("the app is still running")
def step_app_still_running(context):
    pid = context.stack.app_pid(context.poisoned_app)
    assert_that(pid, all_of(not_none(), equal_to(context.app_pid_before)), f"the {context.poisoned_app} app died or was restarted")
