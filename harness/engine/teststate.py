"""TestState: one state run on its own, as the API reference and "Using TestState" document it.

The request names a single state (``definition``), or a whole state machine and the
``stateName`` to test. The state runs once on moto's interpreter (its single-state program,
which records the ``inspectionData`` of each processing step) with:
* ``input``, ``variables`` (the workflow variables in scope) and ``context`` (fields of the
  context object, merged over the test's own);
* ``mock``: a Task state does not call its service; ``result`` is its answer, or
  ``errorOutput`` (``error``, ``cause``) the error it fails with. ``fieldValidationMode``
  (STRICT, the default; PRESENT; NONE) checks a ``result`` against the answer of the API the
  Task calls (``teststate_mock_shapes``). A Map or Parallel state is tested only with a mock,
  which stands for its iterations or branches (``teststate_composites``: with
  ``stateConfiguration.errorCausedByState``, ``mapIterationFailureCount`` and
  ``mapItemReaderData``); so is a Task of the ``.sync`` or ``.waitForTaskToken`` pattern or an
  Activity;
* ``stateConfiguration.retrierRetryCount``: how many retries already happened.
Retry and Catch are then applied the way TestState reports them, never by running again:
* an error a Retrier matches with attempts left: ``status`` RETRIABLE, with
  ``inspectionData.errorDetails`` (``retryIndex``: which Retrier, ``retryBackoffIntervalSeconds``);
* else an error a Catcher matches: CAUGHT_ERROR (``errorDetails.catchIndex``: which Catcher),
  ``nextState`` the Catcher's ``Next`` and
  ``output`` the error output placed at its ``ResultPath``;
* else FAILED with ``error`` and ``cause``; success is SUCCEEDED with ``output`` and ``nextState``
  (the state's ``Next``, or the chosen branch of a Choice).
``inspectionLevel`` INFO answers no ``inspectionData``; DEBUG and TRACE answer it (there are no
HTTP Task requests here, so TRACE adds nothing). Requests AWS refuses are refused with its
errors and words: an unknown ``stateName``; a mock on a Pass, Wait, Choice, Succeed or Fail
state; both ``result`` and ``errorOutput``, or neither; ``revealSecrets`` beside a mock; a Map
or Parallel state, or a waiting Task, without a mock; a mocked Map or Parallel result of the
wrong shape; a configuration field for a state it does not apply to.
"""

from __future__ import annotations

import datetime
import json
import math
import random
import threading
import uuid
from dataclasses import dataclass
from typing import Any

from moto.core.responses import ActionResult
from moto.stepfunctions.parser.api import InvalidDefinition, InvalidExecutionInput, ValidationException
from moto.stepfunctions.parser.asl.eval.environment import Environment
from moto.stepfunctions.parser.asl.utils.encoding import to_json_str
from moto.stepfunctions.parser.api import ExecutionStatus
from moto.stepfunctions.parser.backend.execution import SyncExecution
from moto.stepfunctions.parser.backend.execution_worker import SyncExecutionWorker
from moto.stepfunctions.parser.backend.test_state.execution import TestStateExecution
from moto.stepfunctions.parser.backend.test_state.execution_worker import TestStateExecutionWorker
from moto.stepfunctions.responses import StepFunctionResponse

from harness.engine import activity_tasks, execution_views, teststate_composites, teststate_mock_shapes
from harness.engine.actions import param, register
from harness.engine.error_matching import names_match
from harness.engine.mock_config_file import Response, Returned, Thrown

# States moto's single-state program cannot hold: they run as the one state of a machine.
MACHINE_RUN_TYPES = {"Map", "Parallel"}
DEFAULT_MAX_ATTEMPTS = 3
DEFAULT_INTERVAL_S = 1
DEFAULT_BACKOFF = 2.0


@dataclass(frozen=True)
class _Case:
    name: str


class SingleStateMock:
    """The mock of the one state under test, where the engine's mocked Task looks for it."""

    def __init__(self, response: Response) -> None:
        self.case = _Case("TestState")
        self._response = response
        self.state_mocked_responses = _AnyState(response)
        self._lock = threading.Lock()

    def next_call(self, state: str) -> int:
        return 0

    def response(self, state: str, call: int) -> Response | None:
        return self._response


class _AnyState(dict):  # type: ignore[type-arg]
    """Every state name is the tested state (moto names a lone state itself)."""

    def __init__(self, response: Response) -> None:
        super().__init__()
        self._response = (response,)

    def __contains__(self, key: object) -> bool:
        return True

    def __getitem__(self, key: str) -> tuple[Response, ...]:
        return self._response


def _json_param(value: str | None, field: str, error: type[Exception] = ValidationException) -> Any:
    if value is None:
        return None
    try:
        return json.loads(value)
    except ValueError as bad:
        raise error(f"Invalid {field}: {bad}") from None


def select_state(definition: dict[str, Any], state_name: str | None) -> dict[str, Any]:
    """The state to test: the definition itself, or its state ``state_name`` (with its query language)."""
    if state_name is None:
        if "States" in definition:
            raise ValidationException("The definition is a state machine: name the state to test with stateName")
        return dict(definition)
    states = definition.get("States")
    if not isinstance(states, dict) or state_name not in states:
        raise ValidationException(f"State '{state_name}' does not exist in the definition")
    state = dict(states[state_name])
    if "QueryLanguage" in definition and "QueryLanguage" not in state:
        state["QueryLanguage"] = definition["QueryLanguage"]
    return state


# A Task whose answer only a mock can give here (AWS: "TestState only supports the following when
# a mock is specified: Activity tasks, .sync or .waitForTaskToken service integration patterns").
WAITING_PATTERNS = (".sync", ".sync:2", ".waitForTaskToken")
MOCKABLE_TYPES = ("Task", "Map", "Parallel")


def _needs_a_mock(state: dict[str, Any]) -> bool:
    resource = str(state.get("Resource", ""))
    return state.get("Type") == "Task" and (resource.endswith(WAITING_PATTERNS) or ":activity:" in resource)


def _mock_response(mock: dict[str, Any] | None, state: dict[str, Any], reveal_secrets: bool) -> Response | None:
    """The mock as AWS checks it: a Task, Map or Parallel state only, a result or an errorOutput
    (one of them), no revealSecrets beside it, a known fieldValidationMode, and a result that
    fits the integration's answer (teststate_mock_shapes)."""
    if mock is None:
        return None
    kind = state.get("Type")
    if kind not in MOCKABLE_TYPES:
        raise ValidationException(f"State type '{kind}' is not supported when a mock is specified")
    if ("result" in mock) == ("errorOutput" in mock):
        raise ValidationException("A test mock should have only one of the following fields: [result, errorOutput].")
    if reveal_secrets:
        raise ValidationException("TestState does not support RevealSecrets when a mock is specified.")
    mode = mock.get("fieldValidationMode", "STRICT")
    if mode not in teststate_mock_shapes.MODES:
        raise ValidationException(
            f"1 validation error detected: Value '{mode}' at 'mock.fieldValidationMode' failed to satisfy "
            f"constraint: Member must satisfy enum value set: [{', '.join(teststate_mock_shapes.MODES)}]")
    if "errorOutput" in mock:
        error = mock["errorOutput"] or {}
        return Thrown(error.get("error", ""), error.get("cause", ""))
    result = _json_param(mock["result"], "mock result")
    if kind == "Task":
        teststate_mock_shapes.validate(result, str(state.get("Resource", "")), mode)
    else:
        teststate_composites.check_result_shape(state, result)
    return Returned(result)


def _check_configuration(config: dict[str, Any], state: dict[str, Any], state_name: str | None,
                         mock: Response | None) -> None:
    """stateConfiguration's fields where they mean something, or a ValidationException saying why not."""
    kind = state.get("Type")
    for count in ("retrierRetryCount", "mapIterationFailureCount"):
        value = config.get(count)
        if value is not None and (isinstance(value, bool) or not isinstance(value, int) or value < 0):
            raise ValidationException(f"stateConfiguration.{count} must be a whole number from 0, got {value!r}")
    if config.get("mapIterationFailureCount") is not None and kind != "Map":
        raise ValidationException(f"stateConfiguration.mapIterationFailureCount is for a Map state, not a {kind} state")
    if config.get("mapItemReaderData") is not None and (kind != "Map" or "ItemReader" not in state):
        raise ValidationException("stateConfiguration.mapItemReaderData is for a Map state with an ItemReader")
    caused = config.get("errorCausedByState")
    if caused is not None:
        if kind not in ("Map", "Parallel"):
            raise ValidationException(f"stateConfiguration.errorCausedByState is for a Map or Parallel state, not a {kind} state")
        if not isinstance(mock, Thrown):
            raise ValidationException("stateConfiguration.errorCausedByState needs a mock errorOutput: the error it caused")
        known = teststate_composites.inner_state_names(state) | {state_name or "TestState"}
        if caused not in known:
            raise ValidationException(f"stateConfiguration.errorCausedByState: no state named '{caused}' in the tested state")


class _Settings:
    """What the request sets in the environment the state runs in: its mock (a Task's, or the
    Map or Parallel state's), variables, context."""

    mock: Response | None = None
    composite: teststate_composites.CompositeMock | None = None
    variables: dict[str, Any] | None = None
    context: dict[str, Any] | None = None

    def _apply_settings(self, env: Environment) -> Environment:
        if self.composite is not None:
            env.event_manager._test_state_composite = self.composite  # type: ignore[attr-defined]
        elif self.mock is not None:
            env.mock_test_case = SingleStateMock(self.mock)  # type: ignore[assignment]
        for name, value in (self.variables or {}).items():
            env.variable_store.set(name, value)
        if self.context:
            data = env.states.context_object.context_object_data
            for key, value in self.context.items():
                if isinstance(value, dict) and isinstance(data.get(key), dict):
                    data[key].update(value)
                else:
                    data[key] = value
        return env


class _Worker(_Settings, TestStateExecutionWorker):
    def _get_evaluation_environment(self) -> Environment:
        return self._apply_settings(super()._get_evaluation_environment())


class _MachineWorker(_Settings, SyncExecutionWorker):
    def _get_evaluation_environment(self) -> Environment:
        return self._apply_settings(super()._get_evaluation_environment())


class _MachineExecution(SyncExecution):
    """A Map or Parallel state runs as the one state of a machine, on the request's thread."""

    worker_settings: dict[str, Any] = {}

    def _get_start_execution_worker(self) -> SyncExecutionWorker:
        worker = super()._get_start_execution_worker()
        worker.__class__ = _MachineWorker
        for key, value in self.worker_settings.items():
            setattr(worker, key, value)
        return worker


class _Execution(TestStateExecution):
    worker_settings: dict[str, Any] = {}

    def _get_start_execution_worker(self) -> TestStateExecutionWorker:
        worker = super()._get_start_execution_worker()
        worker.__class__ = _Worker
        for key, value in self.worker_settings.items():
            setattr(worker, key, value)
        return worker


def _machine(backend: Any, definition: dict[str, Any], role_arn: str) -> tuple[str, Any]:
    name = f"TestState-{uuid.uuid4().hex[:10]}"
    machine_arn = f"arn:aws:states:{backend.region_name}:{backend.account_id}:stateMachine:{name}"
    machine = type("TestStateMachine", (), {"arn": machine_arn, "name": name, "definition": json.dumps(definition),
                                              "sm_type": "STANDARD", "roleArn": role_arn})()
    return name, machine


def _run(backend: Any, state: dict[str, Any], role_arn: str, input_value: Any, settings: dict[str, Any]) -> _Execution:
    name, machine = _machine(backend, state, role_arn)
    execution = _Execution(
        name=name, role_arn=role_arn,
        exec_arn=f"arn:aws:states:{backend.region_name}:{backend.account_id}:execution:{name}:{name}",
        account_id=backend.account_id, region_name=backend.region_name, state_machine=machine,
        start_date=datetime.datetime.now(tz=datetime.timezone.utc), activity_store=activity_tasks.queues,
        input_data=json.dumps(input_value),
    )
    execution.worker_settings = settings
    execution.start()
    return execution


def _run_in_machine(backend: Any, state: dict[str, Any], role_arn: str, input_value: Any,
                    settings: dict[str, Any]) -> dict[str, Any]:
    """Run a Map or Parallel state as a one-state machine; its outcome as TestState reports it."""
    definition = {"StartAt": "TestState", "States": {"TestState": state}}
    name, machine = _machine(backend, definition, role_arn)
    execution = _MachineExecution(
        name=name, sm_type="STANDARD", role_arn=role_arn,
        exec_arn=f"arn:aws:states:{backend.region_name}:{backend.account_id}:execution:{name}:{name}",
        account_id=backend.account_id, region_name=backend.region_name, state_machine=machine,
        start_date=datetime.datetime.now(tz=datetime.timezone.utc), cloud_watch_logging_session=None,
        input_data=json.dumps(input_value), trace_header=None, activity_store=activity_tasks.queues,
    )
    execution.worker_settings = settings
    execution.start()
    if execution.exec_status == ExecutionStatus.SUCCEEDED:
        return {"status": "SUCCEEDED", "output": execution_views.output_text(execution)}
    return {"status": "FAILED", "error": execution.error or "States.Runtime", "cause": execution.cause or ""}


def _compact(value: Any) -> Any:
    """JSON text as AWS writes it, without spaces; anything else unchanged."""
    if not isinstance(value, str):
        return value
    try:
        return json.dumps(json.loads(value), separators=(",", ":"))
    except ValueError:
        return value


def _retrier(state: dict[str, Any], error: str) -> dict[str, Any] | None:
    return next((r for r in state.get("Retry", []) if names_match(r.get("ErrorEquals", []), error)), None)


def _catcher(state: dict[str, Any], error: str) -> dict[str, Any] | None:
    return next((c for c in state.get("Catch", []) if names_match(c.get("ErrorEquals", []), error)), None)


def _place(document: Any, result_path: str | None, value: Any) -> Any:
    """JSONPath ResultPath: ``$`` replaces, null keeps the input, ``$.a.b`` sets that field."""
    if result_path is None:
        return document
    if result_path == "$":
        return value
    out = json.loads(json.dumps(document)) if isinstance(document, dict) else {}
    node = out
    keys = result_path[2:].split(".")
    for key in keys[:-1]:
        node = node.setdefault(key, {})
    node[keys[-1]] = value
    return out


def backoff_seconds(retrier: dict[str, Any], retries_so_far: int) -> int:
    """The wait before the next retry: IntervalSeconds x BackoffRate^retries, capped by
    MaxDelaySeconds; with ``JitterStrategy`` FULL, a random wait between 0 and that."""
    interval = retrier.get("IntervalSeconds", DEFAULT_INTERVAL_S)
    delay = interval * retrier.get("BackoffRate", DEFAULT_BACKOFF) ** retries_so_far
    if "MaxDelaySeconds" in retrier:
        delay = min(delay, retrier["MaxDelaySeconds"])
    if retrier.get("JitterStrategy") == "FULL":
        delay = random.uniform(0, delay)
    return int(math.ceil(delay))


def _error_outcome(state: dict[str, Any], input_value: Any, error: str, cause: str | None,
                   retry_count: int, inspection: dict[str, Any]) -> dict[str, Any]:
    retrier = _retrier(state, error)
    if retrier is not None and retry_count < retrier.get("MaxAttempts", DEFAULT_MAX_ATTEMPTS):
        inspection["errorDetails"] = {"retryIndex": state["Retry"].index(retrier),
                                      "retryBackoffIntervalSeconds": backoff_seconds(retrier, retry_count)}
        return {"status": "RETRIABLE", "error": error, "cause": cause or "", "nextState": None}
    catcher = _catcher(state, error)
    if catcher is not None:
        error_output = {"Error": error, "Cause": cause or ""}
        inspection["errorDetails"] = {"catchIndex": state["Catch"].index(catcher)}
        output = _place(input_value, catcher.get("ResultPath", "$"), error_output)
        return {"status": "CAUGHT_ERROR", "error": error, "cause": cause or "", "nextState": catcher["Next"],
                "output": to_json_str(output, separators=(",", ":"))}
    return {"status": "FAILED", "error": error, "cause": cause or ""}


def _run_composite(backend: Any, state: dict[str, Any], run_state: dict[str, Any], role_arn: str, input_value: Any,
                   settings: dict[str, Any], config: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """A Map or Parallel state answering from its mock (teststate_composites); its outcome and inspection."""
    composite = teststate_composites.CompositeMock(
        state=state, response=settings["mock"], failure_count=config.get("mapIterationFailureCount"),
        reader_data=config.get("mapItemReaderData"))
    # Its reader and writer are not used: the mock stands for what they would read and write.
    run_state = {k: v for k, v in run_state.items() if k not in ("ItemReader", "ResultWriter")}
    out = _run_in_machine(backend, run_state, role_arn, input_value, {**settings, "composite": composite})
    inspection = {"input": to_json_str(input_value, separators=(",", ":")), **composite.inspection}
    return out, inspection


def test_state(self: StepFunctionResponse) -> ActionResult:
    backend = self.stepfunction_backend
    definition = _json_param(param(self, "definition"), "definition", InvalidDefinition)
    if not isinstance(definition, dict):
        raise InvalidDefinition("The definition must be a JSON object")
    state_name = param(self, "stateName")
    state = select_state(definition, state_name)
    input_value = _json_param(param(self, "input", "{}"), "input", InvalidExecutionInput)
    config = param(self, "stateConfiguration", {}) or {}
    mock = _mock_response(param(self, "mock"), state, bool(param(self, "revealSecrets", False)))
    _check_configuration(config, state, state_name, mock)
    variables = _json_param(param(self, "variables"), "variables")
    context = _json_param(param(self, "context"), "context")
    level = param(self, "inspectionLevel", "INFO")
    role_arn = param(self, "roleArn") or f"arn:aws:iam::{backend.account_id}:role/TestState"
    composite = state.get("Type") in MACHINE_RUN_TYPES
    if composite and mock is None:
        raise InvalidDefinition(teststate_composites.UNSUPPORTED_WITHOUT_MOCK)
    if mock is None and _needs_a_mock(state):
        raise InvalidDefinition("TestState only supports Activity tasks, .sync or .waitForTaskToken service "
                                "integration patterns when a mock is specified")

    run_state = {k: v for k, v in state.items() if k not in ("Retry", "Catch", "Next", "End")}
    if run_state.get("Type") not in ("Choice", "Succeed", "Fail"):
        run_state["End"] = True
    settings = {"mock": mock, "variables": variables, "context": context}
    if composite:
        out, inspection = _run_composite(backend, state, run_state, role_arn, input_value, settings, config)
    else:
        execution = _run(backend, run_state, role_arn, input_value, settings)
        inspection = dict(execution.exec_worker.env.inspection_data)
        out = execution.to_test_state_output(inspection_level="DEBUG")
        inspection = {k: _compact(v) for k, v in (out.get("inspectionData") or inspection).items()}
    result: dict[str, Any]
    if out.get("status") == "FAILED" and out.get("error"):
        result = _error_outcome(state, input_value, out["error"], out.get("cause"),
                                config.get("retrierRetryCount", 0), inspection)
    else:
        result = {"status": "SUCCEEDED", "output": _compact(out.get("output"))}
        next_state = out.get("nextState") or state.get("Next")
        if next_state:
            result["nextState"] = next_state
    response = {k: v for k, v in result.items() if v is not None}
    if level in ("DEBUG", "TRACE"):
        if variables is not None or "variables" not in inspection:
            inspection.setdefault("variables", to_json_str(variables or {}, separators=(",", ":")))
        response["inspectionData"] = inspection
    return ActionResult(response)


def install() -> None:
    register(test_state)
