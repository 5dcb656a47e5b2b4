"""An answer that comes before its task set up its heartbeat clock is read at once
(engine.answer_before_heartbeat_clock), not after HeartbeatSeconds."""

from __future__ import annotations

from hamcrest import assert_that, equal_to
from moto.stepfunctions.parser.asl.eval.callback.callback import CallbackEndpoint, CallbackOutcomeSuccess

from harness.engine.answer_before_heartbeat_clock import setup_heartbeat_endpoint


def test_an_answer_before_the_clock_wakes_the_wait_at_once() -> None:
    endpoint = CallbackEndpoint(callback_id="token")
    endpoint.notify(CallbackOutcomeSuccess(callback_id="token", output="{}"))
    clock = setup_heartbeat_endpoint(endpoint, heartbeat_seconds=60)
    # moto's wait loop: a set clock returns at once and the outcome is read; unset, it waits 60 s.
    assert_that(clock.clear_and_wait(), equal_to(True))
    assert_that(endpoint.get_outcome() is not None, equal_to(True))


def test_a_task_not_yet_answered_waits_for_its_heartbeat() -> None:
    clock = setup_heartbeat_endpoint(CallbackEndpoint(callback_id="token"), heartbeat_seconds=0)
    assert_that(clock.clear_and_wait(), equal_to(False))
