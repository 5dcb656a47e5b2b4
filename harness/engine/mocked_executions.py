"""SFN_MOCK_CONFIG: executions started as ``<stateMachineArn>#<TestCase>`` answer Tasks from mocks.

Step Functions Local's mocked service integrations (AWS developer guide, "Using mocked service
integrations for testing in Step Functions Local"): the emulator reads a mock configuration
file (``mock_config_file``) at start-up; StartExecution with a state machine ARN followed by
``#`` and a test case name runs the state machine with that test case. Each Task state the test
case names does not call its service: its nth call (every attempt counts, Retry included)
returns or throws the nth mocked response. A ``.waitForTaskToken`` task is answered at once,
without a worker. Task states the test case does not name call their service as usual.

moto carries the interpreter side of this (``Environment.is_mocked_mode``, the mocked answer in
the service task) but its loader always returns nothing, and StartExecution does not know the
``#`` suffix. Here the suffix is split off, the test case is looked up by the deployed state
machine's name, and it reaches the execution's worker. Calls are counted per execution and per
state, so a state entered again (a loop) carries on with the next response. A call past the
last response fails the execution with ``States.Runtime``, which AWS lets no Retry or Catch
handle: the mock file, not the pipeline, needs fixing.
"""

from __future__ import annotations

import contextvars
import functools
import logging
import os
import threading
from collections.abc import Callable
from typing import Any

from moto.stepfunctions.exceptions import InvalidName
from moto.stepfunctions.parser.asl.component.common.error_name.failure_event import (
    FailureEventException,
)
from moto.stepfunctions.parser.asl.eval.environment import Environment
from moto.stepfunctions.parser.backend.execution import Execution
from moto.stepfunctions.parser.backend.execution_worker import ExecutionWorker
from moto.stepfunctions.parser.mocking.mock_config import (
    MockedResponse,
    MockedResponseReturn,
    MockedResponseThrow,
)
from moto.stepfunctions.parser.models import StepFunctionsParserBackend

from harness.engine.failures import states_runtime
from harness.engine.mock_config_file import MockConfig, MockedCase, Response, Returned, load_mock_config

LOG = logging.getLogger(__name__)

ENV_VAR = "SFN_MOCK_CONFIG"
_config: MockConfig | None = None


def _to_moto(response: Response) -> MockedResponse:
    if isinstance(response, Returned):
        return MockedResponseReturn(range_start=0, range_end=0, payload=response.payload)
    return MockedResponseThrow(range_start=0, range_end=0, error=response.error, cause=response.cause)


class ExecutionMocks:
    """One execution's test case and how often each mocked state has been called so far.

    Stands where moto expects its MockTestCase: ``state_mocked_responses`` answers "is this
    state mocked?"; frames of Map and Parallel share the object, so one count per state.
    """

    def __init__(self, case: MockedCase) -> None:
        self.case = case
        self.state_mocked_responses: dict[str, tuple[Response, ...]] = dict(case.responses)
        self._calls: dict[str, int] = {}
        self._lock = threading.Lock()

    def next_call(self, state: str) -> int:
        with self._lock:
            call = self._calls.get(state, 0)
            self._calls[state] = call + 1
            return call

    def response(self, state: str, call: int) -> Response | None:
        responses = self.state_mocked_responses[state]
        return responses[call] if call < len(responses) else None


# The test case of the StartExecution being served, handed to the worker it creates.
_starting: contextvars.ContextVar[ExecutionMocks | None] = contextvars.ContextVar("starting", default=None)


def _no_response(env: Environment, mocks: ExecutionMocks, state: str, call: int) -> FailureEventException:
    return states_runtime(env, f"The mock test case '{mocks.case.name}' has no response for call {call} of state "
                               f"'{state}' (it defines {len(mocks.state_mocked_responses[state])}); add one to {ENV_VAR}.")


def _get_current_mocked_response(self: Environment) -> MockedResponse:
    mocks: ExecutionMocks = self.mock_test_case  # type: ignore[assignment]
    state = self.next_state_name
    call = mocks.next_call(state)
    response = mocks.response(state, call)
    if response is None:
        raise _no_response(self, mocks, state, call)
    LOG.debug("mocked %s call %d of %s: %s", mocks.case.name, call, state, type(response).__name__)
    return _to_moto(response)


def _mocks_for(backend: StepFunctionsParserBackend, arn: str) -> tuple[str, ExecutionMocks | None]:
    """The state machine ARN without ``#TestCase``, and that test case's mocks (if one was named)."""
    if "#" not in arn:
        return arn, None
    base, case_name = arn.split("#", 1)
    machine = backend.describe_state_machine(base)  # StateMachineDoesNotExist as usual
    case = _config.test_case(machine.name, case_name) if _config is not None else None
    if case is None:
        where = f"{ENV_VAR} is not set" if _config is None else f"the file {ENV_VAR} names does not define it"
        raise InvalidName(f"Invalid mock test case name '{case_name}' for state machine '{machine.name}': {where}")
    return base, ExecutionMocks(case)


StartExecution = Callable[..., Execution]


def _wrap_start_execution(original: StartExecution) -> StartExecution:
    @functools.wraps(original)
    def start_execution(self: StepFunctionsParserBackend, state_machine_arn: str, *args: Any,
                        **kwargs: Any) -> Execution:
        base, mocks = _mocks_for(self, state_machine_arn)
        token = _starting.set(mocks)
        try:
            return original(self, base, *args, **kwargs)
        finally:
            _starting.reset(token)

    start_execution.__mock_config__ = True  # type: ignore[attr-defined]
    return start_execution


def _wrap_worker(original: Callable[[Execution], ExecutionWorker]) -> Callable[[Execution], ExecutionWorker]:
    # Execution.start builds its worker inside StartExecution, on the request's thread.
    @functools.wraps(original)
    def _get_start_execution_worker(self: Execution) -> ExecutionWorker:
        worker = original(self)
        mocks = _starting.get()
        if mocks is not None:
            worker._mock_test_case = mocks  # type: ignore[misc]
        return worker

    return _get_start_execution_worker


def configure(path: str | None) -> None:
    """Load the mock configuration (or none); a bad file raises, so the emulator does not start."""
    global _config
    _config = load_mock_config(path) if path else None
    if _config is not None:
        LOG.info("mock configuration %s: %d test cases", path, len(_config.test_cases))


def install() -> None:
    configure(os.environ.get(ENV_VAR) or None)
    if getattr(StepFunctionsParserBackend.start_execution, "__mock_config__", False):
        return
    StepFunctionsParserBackend.start_execution = _wrap_start_execution(  # type: ignore[method-assign]
        StepFunctionsParserBackend.start_execution)
    Execution._get_start_execution_worker = _wrap_worker(  # type: ignore[method-assign]
        Execution._get_start_execution_worker)
    Environment.get_current_mocked_response = _get_current_mocked_response  # type: ignore[method-assign]
