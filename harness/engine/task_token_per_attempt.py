"""Every attempt of a callback task gets its own token, and a token dies with its attempt.

AWS: ``$$.Task.Token`` is issued per attempt; a Retry sends the task again with a new token.
Once an attempt has ended (it timed out, or was answered with SendTaskSuccess or
SendTaskFailure), ``SendTaskHeartbeat``, ``SendTaskSuccess`` and ``SendTaskFailure`` with its
token answer ``TaskTimedOut``, message "Task Timed Out: 'Provided task does not exist anymore'"
(the API reference: "The task token has either expired or the task associated with the token has
already been closed"; the same answer is recorded for a late and for a duplicate callback). A
token the service never issued answers ``InvalidToken``; ``TaskDoesNotExist`` is documented as
"The activity does not exist" and is not a callback token's answer.

moto 5.2.5 makes the token once per state (``StateTaskServiceCallback._eval_body``) while its
Retry loop (``ExecutionState._eval_state``) runs only ``_evaluate_with_timeout`` again, so every
attempt sends the same token and waits on the same callback endpoint: a stale worker holding the
first attempt's message drives the retry. moto's answers are looser too: the token of a task
that has ended is accepted as long as the execution runs (SendTaskFailure even after it ended);
a heartbeat that comes before the task has set up its heartbeat clock (moto sends the message
first), or for a task without HeartbeatSeconds, answers ``InvalidToken``; and its
``TaskTimedOut``/``TaskDoesNotExist`` answers cannot be reached (the check looks at the wrong
object, and both exceptions need a message they are not given).

Here each attempt makes its token before it runs, registers it with the execution's callback
pool as moto does, and marks the token's endpoint ended (moto's ``CallbackEndpoint.report``)
when the attempt ends; SendTaskSuccess and SendTaskFailure end it at once. The three SendTask*
calls find the token's execution (``task_token_index``: where the attempt noted it, else by
looking in every execution) and answer as AWS does.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable
from typing import Any, Final

from moto.stepfunctions.parser.api import (
    ExecutionStatus,
    InvalidToken,
    SendTaskFailureOutput,
    TaskTimedOut,
)
from moto.stepfunctions.parser.asl.component.state.exec.state_task.service.resource import (
    ResourceCondition,
)
from moto.stepfunctions.parser.asl.component.state.exec.state_task.service.state_task_service_callback import (
    StateTaskServiceCallback,
)
from moto.stepfunctions.parser.asl.eval.callback.callback import (
    CallbackConsumerError,
    CallbackConsumerLeft,
    CallbackConsumerTimeout,
    CallbackEndpoint,
    CallbackOutcome,
    CallbackOutcomeFailure,
    CallbackOutcomeSuccess,
)
from moto.stepfunctions.parser.asl.eval.environment import Environment
from moto.stepfunctions.parser.models import StepFunctionsParserBackend

from harness.engine import task_token_index

GONE_MESSAGE: Final = "Task Timed Out: 'Provided task does not exist anymore'"

# One lock for "is this attempt still open?" and "end it": two answers cannot both be accepted,
# and none is accepted once the attempt is marked ended. An attempt decides a missed heartbeat in
# its own thread a moment before it is marked; an answer in that gap is taken and lost, as in moto.
_lock = threading.Lock()

Evaluate = Callable[[StateTaskServiceCallback, Environment], None]


def _uses_task_token(state: StateTaskServiceCallback) -> bool:
    # moto's own condition for making a token (a .sync task gets one too, for its heartbeats).
    return state._is_integration_pattern() and (
        ResourceCondition.WaitForTaskToken in state._supported_integration_patterns)


def end_attempt(endpoint: CallbackEndpoint, why: CallbackConsumerError) -> bool:
    """Mark the attempt behind ``endpoint`` ended; False if it had already ended."""
    with _lock:
        if endpoint.consumer_error is not None:
            return False
        endpoint.report(why)
    # Wake a wait still running for it (a TimeoutSeconds expiry leaves the attempt's thread waiting).
    endpoint.interrupt_all()
    return True


def _eval_body(self: StateTaskServiceCallback, env: Environment) -> None:
    # moto's _eval_body without its one token per state: the attempts make theirs.
    if _uses_task_token(self):
        self._assert_integration_pattern_is_supported()
    super(StateTaskServiceCallback, self)._eval_body(env=env)
    # As moto: the Task field exists only while the task runs.
    env.states.context_object.context_object_data.pop("Task", None)


def _wrap_attempt(original: Evaluate) -> Evaluate:
    @functools.wraps(original)
    def _evaluate_with_timeout(self: StateTaskServiceCallback, env: Environment) -> None:
        if not _uses_task_token(self):
            original(self, env)
            return
        # The attempt's frame copies the Task field (and with it $$.Task.Token) from env.
        token = env.states.context_object.update_task_token()
        endpoint = env.callback_pool_manager.add(token)
        task_token_index.note_issued(token, env)
        why: CallbackConsumerError = CallbackConsumerLeft()
        try:
            original(self, env)
        except TimeoutError:  # TimeoutSeconds, HeartbeatSeconds, or the callback's own timeout
            why = CallbackConsumerTimeout()
            raise
        finally:
            end_attempt(endpoint, why)

    _evaluate_with_timeout.__token_per_attempt__ = True  # type: ignore[attr-defined]
    return _evaluate_with_timeout


def _find(backend: StepFunctionsParserBackend, token: str) -> tuple[CallbackEndpoint, bool]:
    """The token's endpoint and whether its execution still runs; InvalidToken if none issued it."""
    found = task_token_index.noted(backend, token)
    if found is not None:
        endpoint, execution = found
        return endpoint, execution.status == ExecutionStatus.RUNNING
    for execution in backend._get_executions():
        worker = execution.exec_worker
        if worker is None:
            continue
        endpoint = worker.env.callback_pool_manager.get(token)
        if endpoint is not None:
            return endpoint, execution.status == ExecutionStatus.RUNNING
    raise InvalidToken()


def _gone() -> TaskTimedOut:
    return TaskTimedOut(GONE_MESSAGE, exception_type="TaskTimedOut")


def _answer(backend: StepFunctionsParserBackend, token: str, outcome: CallbackOutcome | None) -> None:
    endpoint, running = _find(backend, token)
    with _lock:
        if not running or endpoint.consumer_error is not None:
            raise _gone()
        if outcome is None:
            # A live task takes a heartbeat even before its heartbeat clock is set up (moto sends
            # the message first) or when it has no HeartbeatSeconds; there is nothing to reset then.
            endpoint.notify_heartbeat()
            return
        # The answer closes the task: a second one is refused, as on AWS.
        endpoint.report(CallbackConsumerLeft())
    endpoint.notify(outcome)


def send_task_heartbeat(self: StepFunctionsParserBackend, task_token: str) -> None:
    _answer(self, task_token, None)


def send_task_success(self: StepFunctionsParserBackend, task_token: str, outcome: str) -> None:
    _answer(self, task_token, CallbackOutcomeSuccess(callback_id=task_token, output=outcome))


def send_task_failure(self: StepFunctionsParserBackend, task_token: str, error: Any = None,
                      cause: Any = None) -> SendTaskFailureOutput:
    _answer(self, task_token, CallbackOutcomeFailure(callback_id=task_token, error=error, cause=cause))
    return SendTaskFailureOutput()


def install() -> None:
    if getattr(StateTaskServiceCallback._evaluate_with_timeout, "__token_per_attempt__", False):
        return
    StateTaskServiceCallback._eval_body = _eval_body  # type: ignore[method-assign]
    # Defined on ExecutionState; set on the callback class so other states keep moto's.
    StateTaskServiceCallback._evaluate_with_timeout = _wrap_attempt(  # type: ignore[method-assign]
        StateTaskServiceCallback._evaluate_with_timeout)
    StepFunctionsParserBackend.send_task_heartbeat = send_task_heartbeat  # type: ignore[method-assign]
    StepFunctionsParserBackend.send_task_success = send_task_success  # type: ignore[method-assign]
    StepFunctionsParserBackend.send_task_failure = send_task_failure  # type: ignore[method-assign]
