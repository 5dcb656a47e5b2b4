"""Property tests of the callback loop: any message is answered, set aside or dropped as stale,
always with a named reason, and the loop itself never raises.

The queue and Step Functions are small in-memory stand-ins that record what the loop asked of
them; the loop, the parser and the task are the real ones.
"""

from __future__ import annotations

import json
from typing import Any

from botocore.exceptions import ClientError
import pytest

pytest.importorskip("hypothesis", reason="hypothesis==6.170.17 is not installed (dev dependency)")

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from workers.callback import callback_handler
from workers.filing_request import parse_request
from workers.queue_loop import QueueConsumer

KNOWN_TOKEN = "token-the-state-machine-waits-for"


class RecordingSqs:
    def __init__(self) -> None:
        self.deleted: list[str] = []
        self.dead_lettered: list[dict[str, Any]] = []

    def delete_message(self, QueueUrl: str, ReceiptHandle: str) -> None:
        self.deleted.append(ReceiptHandle)

    def send_message(self, QueueUrl: str, MessageBody: str, MessageAttributes: dict[str, Any]) -> None:
        self.dead_lettered.append(MessageAttributes)

    def change_message_visibility(self, **kwargs: Any) -> None:
        pass


class RecordingSfn:
    """Knows one task token; any other is one no execution waits for."""

    def __init__(self) -> None:
        self.answers: list[tuple[str, str | None]] = []

    def _check(self, token: str) -> None:
        if token != KNOWN_TOKEN:
            raise ClientError({"Error": {"Code": "TaskDoesNotExist", "Message": "no such task"}}, "SendTask")

    def send_task_heartbeat(self, taskToken: str) -> None:
        self._check(taskToken)

    def send_task_success(self, taskToken: str, output: str) -> None:
        self._check(taskToken)
        self.answers.append(("success", None))

    def send_task_failure(self, taskToken: str, error: str, cause: str) -> None:
        self._check(taskToken)
        self.answers.append(("failure", error))


def consumer(sfn: RecordingSfn) -> tuple[QueueConsumer, RecordingSqs]:
    handler = callback_handler(lambda task_input: parse_request(task_input).as_dict(), heartbeat_interval=60, sfn=sfn)
    loop = QueueConsumer.__new__(QueueConsumer)  # no AWS client: the recording queue stands in
    sqs = RecordingSqs()
    loop.app_name, loop.queue_name, loop.handle, loop.sqs = "ingest", "ingest", handler, sqs
    loop.queue_url, loop.dlq_url, loop.visibility_timeout = "queue", "dead-letters", 30
    loop.max_receive_count = 3
    return loop, sqs


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=20),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children, max_size=3),
    max_leaves=10,
)
task_inputs = st.one_of(
    json_values,
    st.fixed_dictionaries(
        {"request_id": st.from_regex(r"[a-z0-9-]{1,20}", fullmatch=True)},
        optional={"cik": st.one_of(st.just("320193"), json_values), "form_type": st.one_of(st.just("10-K"), json_values)},
    ),
)
bodies = st.one_of(
    st.text(max_size=100),
    json_values.map(json.dumps),
    st.fixed_dictionaries(
        {"taskToken": st.one_of(st.just(KNOWN_TOKEN), st.text(max_size=10), json_values), "input": task_inputs}
    ).map(json.dumps),
)


@settings(max_examples=300, deadline=None)
@given(bodies)
def test_every_message_is_answered_set_aside_or_dropped_with_a_reason(body: str) -> None:
    sfn = RecordingSfn()
    loop, sqs = consumer(sfn)
    loop.process({"MessageId": "m-1", "ReceiptHandle": "r-1", "Body": body})  # must not raise
    # Deleted means handled: a message left on the queue would mean an unhandled exception.
    assert sqs.deleted == ["r-1"], "the message was left for redelivery: the loop hit an unhandled error"
    for attributes in sqs.dead_lettered:
        assert attributes["RejectionReason"]["StringValue"], "a message is never set aside without a reason"
    for outcome, error in sfn.answers:
        # Worker.Error is what an exception nobody named becomes: the parser must name its errors.
        assert outcome == "success" or (error and error != "Worker.Error"), f"unnamed failure {error!r}"
    assert len(sqs.dead_lettered) + len(sfn.answers) <= 1, "a message is handled at most one way"
    if _token_of(body) == KNOWN_TOKEN:
        # A task the state machine waits for is answered, never set aside or dropped unanswered.
        assert len(sfn.answers) == 1 and not sqs.dead_lettered, f"task not answered: {body[:80]}"


def _token_of(body: str) -> Any:
    try:
        message = json.loads(body)
    except ValueError:
        return None
    return message.get("taskToken") if isinstance(message, dict) else None
