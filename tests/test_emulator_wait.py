"""Waits that end on the emulator's event: an execution started or ended, a message set aside.

Against the project's emulator (scaled time: a Wait of 100 s takes 1 s), each wait must end
when its event happens, not at the end of its seconds, and must not end before it; a client of
a stack that offers no such wait keeps polling the documented operations.
"""

from __future__ import annotations

import json
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from typing import Any

import pytest

from harness.emulator_wait import HEADER, PATH, Condition, execution_wake, offered_wait, queue_wake, wait_on
from harness.statemachine.executions import execution_arn, wait_for_end
from tests.engine_fixtures import ROLE

# Scaled by the engine tests' SFN_TIME_SCALE=0.01: a Wait of 150 s lasts 1.5 s.
WAITS_150_S = {"StartAt": "Hold", "States": {"Hold": {"Type": "Wait", "Seconds": 150, "End": True}}}
ENDS_AT_ONCE = {"StartAt": "Done", "States": {"Done": {"Type": "Pass", "End": True}}}


def _machine(sfn: Any, definition: dict[str, Any]) -> str:
    return sfn.create_state_machine(
        name=f"wait-{uuid.uuid4().hex[:10]}", definition=json.dumps(definition), roleArn=ROLE
    )["stateMachineArn"]


def _timed(call: Any) -> tuple[Any, float]:
    began = time.monotonic()
    result = call()
    return result, time.monotonic() - began


def test_every_answer_of_the_emulator_names_the_wait(sfn: Any) -> None:
    headers = sfn.list_state_machines(maxResults=1)["ResponseMetadata"]["HTTPHeaders"]
    assert headers.get(HEADER.lower()) == PATH
    assert offered_wait(sfn) == sfn.meta.endpoint_url.rstrip("/") + PATH


def test_a_wait_for_the_end_returns_when_the_execution_ends_not_before(sfn: Any) -> None:
    started = sfn.start_execution(stateMachineArn=_machine(sfn, WAITS_150_S))["executionArn"]
    answer, seconds = _timed(lambda: wait_on(offered_wait(sfn), Condition(10, started, "ended")))
    assert answer == {"status": "SUCCEEDED", "holding": False}
    # The Wait lasts 1.5 s from the start: the answer came at its end, well before the 10 s.
    assert 1.0 < seconds < 5.0, seconds


def test_a_wait_whose_event_does_not_come_returns_after_its_seconds_with_what_it_saw(sfn: Any) -> None:
    started = sfn.start_execution(stateMachineArn=_machine(sfn, WAITS_150_S))["executionArn"]
    answer, seconds = _timed(lambda: wait_on(offered_wait(sfn), Condition(0.3, started, "ended")))
    assert answer == {"status": "RUNNING", "holding": False}
    assert 0.3 <= seconds < 1.0, seconds


def test_a_wait_for_the_start_of_an_execution_not_yet_started_returns_when_it_starts(sfn: Any) -> None:
    machine = _machine(sfn, ENDS_AT_ONCE)
    arn = execution_arn(machine, f"later-{uuid.uuid4().hex[:8]}")
    url = offered_wait(sfn)
    nothing, _ = _timed(lambda: wait_on(url, Condition(0.2, arn, "started")))
    assert nothing == {"status": None, "holding": False}
    sfn.start_execution(stateMachineArn=machine, name=arn.rsplit(":", 1)[-1])
    answer, seconds = _timed(lambda: wait_on(url, Condition(10, arn, "started")))
    assert answer["status"] in ("RUNNING", "SUCCEEDED")
    assert seconds < 1.0, seconds


def test_a_wait_ends_when_the_queue_holds_the_text_though_no_execution_starts(sfn: Any, sqs: Any) -> None:
    arn = execution_arn(_machine(sfn, ENDS_AT_ONCE), "never-started")
    queue = sqs.create_queue(QueueName=f"set-aside-{uuid.uuid4().hex[:8]}")["QueueUrl"]
    sqs.send_message(QueueUrl=queue, MessageBody="another request: req-other")
    url = offered_wait(sfn)
    answer, _ = _timed(lambda: wait_on(url, Condition(0.2, arn, "started", queue, "req-mine")))
    assert answer == {"status": None, "holding": False}, "a message without the text ended the wait"
    sqs.send_message(QueueUrl=queue, MessageBody='{"request_id": "req-mine"}')
    answer, seconds = _timed(lambda: wait_on(url, Condition(10, arn, "started", queue, "req-mine")))
    assert answer == {"status": None, "holding": True}
    assert seconds < 1.0, seconds


@pytest.mark.parametrize(
    ("query", "named"),
    [
        ({"until": "ended", "seconds": "1"}, "execution and until go together"),
        ({"seconds": "1"}, "needs execution= and until=, or queue= and holding="),
        ({"queue": "http://127.0.0.1/123456789012/q", "holding": "x", "seconds": "1"}, "needs its region="),
        ({"execution": "arn:aws:states:us-east-1:123456789012:execution:m:e", "until": "over", "seconds": "1"},
         "until must be one of started, ended"),
        ({"execution": "arn:aws:states:us-east-1:123456789012:execution:m:e", "until": "ended", "seconds": "600"},
         "seconds must be from 0 to 20"),
        ({"execution": "not-an-arn", "until": "ended", "seconds": "1"}, "not an execution ARN"),
        ({"execution": "arn:aws:states:us-east-1:123456789012:execution:m:e", "until": "ended", "seconds": "1",
          "queue": "http://127.0.0.1/123456789012/q"}, "queue and holding go together"),
    ],
)
def test_a_bad_wait_is_refused_naming_what_is_wrong(sfn: Any, query: dict[str, str], named: str) -> None:
    url = f"{offered_wait(sfn)}?{urllib.parse.urlencode(query)}"
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(url, timeout=5)
    assert refused.value.code == 400
    assert named in json.loads(refused.value.read())["message"]


def test_a_wait_on_a_queue_alone_ends_when_the_message_arrives(sfn: Any, sqs: Any) -> None:
    queue = sqs.create_queue(QueueName=f"aside-{uuid.uuid4().hex[:8]}")["QueueUrl"]
    wake = queue_wake(sqs, queue, "poison-123")
    assert wake is not None
    _, waited = _timed(lambda: wake(0.2))
    assert waited >= 0.2, "the wait ended though no message held the text"
    sqs.send_message(QueueUrl=queue, MessageBody="<poison-123> not json")
    _, waited = _timed(lambda: wake(10))
    assert waited < 1.0, waited


def test_wait_for_end_asks_describe_execution_only_around_the_wait(sfn: Any) -> None:
    started = sfn.start_execution(stateMachineArn=_machine(sfn, WAITS_150_S))["executionArn"]
    asked: list[str] = []
    sfn.meta.events.register("before-call.sfn.DescribeExecution", lambda **_: asked.append("describe"))
    try:
        report = wait_for_end(sfn, started, timeout=10)
    finally:
        sfn.meta.events.unregister("before-call.sfn.DescribeExecution")
    assert report.status == "SUCCEEDED"
    # A poll every 20 ms would have asked about 75 times in the 1.5 s the execution ran.
    assert len(asked) <= 4, f"DescribeExecution asked {len(asked)} times"


def test_a_stack_that_names_no_wait_is_polled(sfn: Any) -> None:
    class AnswersWithoutTheHeader:
        meta = type("Meta", (), {"endpoint_url": "http://127.0.0.1:9/not-the-emulator"})()

        def list_state_machines(self, **_: Any) -> dict[str, Any]:
            return {"ResponseMetadata": {"HTTPHeaders": {}}}

    assert offered_wait(AnswersWithoutTheHeader()) is None
    assert execution_wake(AnswersWithoutTheHeader(), "arn:aws:states:us-east-1:1:execution:m:e", "ended") is None


def test_inside_the_emulator_a_wait_ends_on_the_execution_s_end_not_at_its_next_look(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # In process, with the emulator's looks a minute apart: only the signal an execution's end
    # raises (harness/engine/execution_changes.py) can end this wait within the test's deadline.
    from harness.engine import execution_changes
    from harness.stacks import emulator_waits

    arn = "arn:aws:states:us-east-1:123456789012:execution:machine:run"
    status = ["RUNNING"]
    looked = threading.Event()

    def execution_status(_arn: str) -> str:
        looked.set()
        return status[0]

    monkeypatch.setattr(emulator_waits, "CHECK_INTERVAL", 60.0)
    monkeypatch.setattr(emulator_waits, "execution_status", execution_status)
    answers: list[dict[str, Any]] = []
    waiting = threading.Thread(
        target=lambda: answers.append(emulator_waits.wait_for(Condition(20, arn, "ended"))), daemon=True
    )
    waiting.start()
    assert looked.wait(10), "the wait never looked"
    status[0] = "SUCCEEDED"
    execution_changes.notify()
    waiting.join(10)
    assert answers == [{"status": "SUCCEEDED", "holding": False}], "the wait did not end on the signal"
