"""A callback's token found through engine.task_token_index answers as a search of every
execution does: after its execution ended, after a redrive, after its state machine was deleted."""

from __future__ import annotations

import json
import uuid
from typing import Any

from hamcrest import assert_that, equal_to

from tests.engine_fixtures import ROLE, wait_until
from tests.test_engine_task_tokens import _all_refused, _callback_task, _ended, _next_message


def _queue(sqs: Any) -> str:
    return str(sqs.create_queue(QueueName=f"idx-{uuid.uuid4().hex[:12]}")["QueueUrl"])


def _machine(sfn: Any, queue: str) -> str:
    definition = {"StartAt": "Wait", "States": {"Wait": {**_callback_task(queue), "End": True}}}
    return str(sfn.create_state_machine(name=f"idx-{uuid.uuid4().hex[:12]}", definition=json.dumps(definition),
                                        roleArn=ROLE)["stateMachineArn"])


def _started(sfn: Any, sqs: Any) -> tuple[str, str, str]:
    queue = _queue(sqs)
    machine = _machine(sfn, queue)
    execution = str(sfn.start_execution(stateMachineArn=machine, input="{}")["executionArn"])
    return machine, execution, _next_message(sqs, queue)["Token"]


def test_a_token_of_a_running_execution_is_taken_and_then_refused(sfn: Any, sqs: Any) -> None:
    _, execution, token = _started(sfn, sqs)
    sfn.send_task_heartbeat(taskToken=token)
    sfn.send_task_success(taskToken=token, output='{"done": true}')
    assert_that(_ended(sfn, execution)["status"], equal_to("SUCCEEDED"))
    assert_that(_all_refused(sfn, token), equal_to(["TaskTimedOut"] * 3))


def test_a_redriven_run_takes_its_own_token_and_refuses_the_first_attempts(sfn: Any, sqs: Any) -> None:
    queue = _queue(sqs)
    execution = str(sfn.start_execution(stateMachineArn=_machine(sfn, queue), input="{}")["executionArn"])
    first = _next_message(sqs, queue)["Token"]
    sfn.send_task_failure(taskToken=first, error="Broken", cause="the first attempt")
    assert_that(_ended(sfn, execution)["status"], equal_to("FAILED"))
    sfn.redrive_execution(executionArn=execution)
    second = _next_message(sqs, queue)["Token"]
    # The first attempt's token is refused (the redrive's worker holds only its own tokens), and
    # refusing it leaves the redriven run waiting for its own.
    refusals = _all_refused(sfn, first)
    assert_that(len(set(refusals)), equal_to(1))
    assert_that(refusals[0] in ("InvalidToken", "TaskTimedOut"), equal_to(True))
    sfn.send_task_heartbeat(taskToken=second)
    sfn.send_task_success(taskToken=second, output="{}")
    assert_that(_ended(sfn, execution)["status"], equal_to("SUCCEEDED"))


def test_a_token_of_a_deleted_state_machine_is_unknown(sfn: Any, sqs: Any) -> None:
    machine, _, token = _started(sfn, sqs)
    sfn.send_task_heartbeat(taskToken=token)
    sfn.delete_state_machine(stateMachineArn=machine)
    wait_until(lambda: machine not in [m["stateMachineArn"] for m in sfn.list_state_machines()["stateMachines"]])
    assert_that(_all_refused(sfn, token), equal_to(["InvalidToken"] * 3))


def test_a_token_never_issued_is_invalid(sfn: Any) -> None:
    assert_that(_all_refused(sfn, uuid.uuid4().hex), equal_to(["InvalidToken"] * 3))


def test_the_index_keeps_no_execution_alive() -> None:
    import gc
    from types import SimpleNamespace

    from harness.engine import task_token_index

    class Execution:  # stands for moto's: what the index holds is all that matters here
        pass

    execution = Execution()
    pool = SimpleNamespace(**{task_token_index._OWNER: execution})
    token = f"token-{uuid.uuid4()}"
    task_token_index.note_issued(token, SimpleNamespace(callback_pool_manager=pool))
    assert_that(task_token_index._issued.get(token) is execution, equal_to(True))
    del execution, pool
    gc.collect()
    assert_that(token in task_token_index._issued, equal_to(False))
