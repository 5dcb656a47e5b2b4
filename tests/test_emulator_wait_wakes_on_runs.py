"""A real run's start and end wake the emulator's waits: the signal is raised where moto runs it.

The wait's own test raises the signal by hand; these start real executions on an emulator whose
waits look again only once an hour (tests/emulator_without_rechecks.py), so a wait that ends
soon after its event can only have been woken by the engine's versions of ``Execution.start``
and ``terminated`` (harness/engine/execution_status_events.py). Were they to stop raising it,
each wait would run its full seconds.
"""

from __future__ import annotations

import json
import threading
import time
import uuid
from collections.abc import Iterator
from typing import Any

import pytest

from harness.aws_clients import AwsTarget, Clients
from harness.emulator_wait import MAX_SECONDS, Condition, offered_wait, wait_on
from harness.statemachine.executions import execution_arn
from tests.emulator_fixtures import running_emulator
from tests.engine_fixtures import ROLE

# Scaled by SFN_TIME_SCALE=0.01: a Wait of 100 s lasts 1 s, long enough for the wait to be under
# way before the run ends.
TIME_SCALE = "0.01"
WAITS_100_S = {"StartAt": "Hold", "States": {"Hold": {"Type": "Wait", "Seconds": 100, "End": True}}}
# A minute: longer than any wait here, so that its end wakes no wait.
STAYS_RUNNING = {"StartAt": "Hold", "States": {"Hold": {"Type": "Wait", "Seconds": 6000, "End": True}}}

# A wait that nothing wakes runs its full MAX_SECONDS (20 s); woken, it ends within milliseconds
# of its event. The bound leaves a slow machine ample room and is still far from the 20 s.
WOKEN_WITHIN_S = 10.0
# How long a wait for a run not yet started must stay unanswered before the test starts the run.
BEFORE_THE_START_S = 0.5


@pytest.fixture(scope="module")
def sfn(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """A client of this module's own emulator: no other test's runs start or end there."""
    log_path = tmp_path_factory.mktemp("wakes") / "emulator.log"
    launcher = "tests.emulator_without_rechecks"
    with running_emulator(log_path, module=launcher, SFN_TIME_SCALE=TIME_SCALE) as url:
        yield Clients(AwsTarget("us-east-1", url)).client("stepfunctions")


@pytest.fixture
def stopped_afterwards(sfn: Any) -> Iterator[list[str]]:
    """Executions to stop when the test ends, so that none still runs into the next test's wait."""
    arns: list[str] = []
    yield arns
    for arn in arns:
        try:
            running = sfn.describe_execution(executionArn=arn)["status"] == "RUNNING"
        except sfn.exceptions.ExecutionDoesNotExist:  # a test that failed before starting it
            continue
        if running:
            sfn.stop_execution(executionArn=arn)


def _machine(sfn: Any, definition: dict[str, Any]) -> str:
    return sfn.create_state_machine(
        name=f"wakes-{uuid.uuid4().hex[:10]}", definition=json.dumps(definition), roleArn=ROLE
    )["stateMachineArn"]


def _timed_wait(sfn: Any, condition: Condition) -> tuple[dict[str, Any], float]:
    url = offered_wait(sfn)
    assert url is not None, "the emulator offers no wait"
    began = time.monotonic()
    answer = wait_on(url, condition)
    return answer, time.monotonic() - began


def test_the_end_of_a_real_run_wakes_a_wait_for_its_end(sfn: Any) -> None:
    run = sfn.start_execution(stateMachineArn=_machine(sfn, WAITS_100_S))["executionArn"]
    answer, waited = _timed_wait(sfn, Condition(MAX_SECONDS, run, "ended"))
    assert answer["status"] == "SUCCEEDED"
    assert waited < WOKEN_WITHIN_S, f"the wait ran {waited:.1f} s: the run's end did not wake it"


def test_the_start_of_a_real_run_wakes_a_wait_for_its_start(sfn: Any, stopped_afterwards: list[str]) -> None:
    machine = _machine(sfn, STAYS_RUNNING)
    awaited = execution_arn(machine, f"started-later-{uuid.uuid4().hex[:8]}")
    answers: list[dict[str, Any]] = []
    answered = threading.Event()

    def wait_for_start() -> None:
        answers.append(wait_on(str(offered_wait(sfn)), Condition(MAX_SECONDS, awaited, "started")))
        answered.set()

    threading.Thread(target=wait_for_start, daemon=True).start()
    # Also the time for the wait to reach the emulator and look once before the run exists (were
    # it slower than that, it would find the run at its first look and pass, never fail, wrongly).
    assert not answered.wait(BEFORE_THE_START_S), f"the wait ended before the run started: {answers}"
    # The run then keeps running: no end (which wakes waits too) can stand in for its start.
    stopped_afterwards.append(awaited)
    sfn.start_execution(stateMachineArn=machine, name=awaited.rsplit(":", 1)[-1])
    began = time.monotonic()
    assert answered.wait(MAX_SECONDS + 10), "the wait never answered"
    waited = time.monotonic() - began
    assert answers == [{"status": "RUNNING", "holding": False}]
    assert waited < WOKEN_WITHIN_S, f"the wait ran {waited:.1f} s past the start: the start did not wake it"
