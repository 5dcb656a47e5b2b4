"""TestState of a Map or Parallel state: its mocked result stands for its iterations or branches.

AWS (TestState API reference and its recorded answers): a Map or Parallel state is tested only
with a mock ("TestState API does not support Map or Parallel states" without one). Its branches
and iterations do not run: the mocked ``result`` is the state's result (ResultSelector,
ResultPath, OutputPath and Output still apply), a mocked ``errorOutput`` its error (with
``stateConfiguration.errorCausedByState`` naming the state inside it the error comes from), and
its Retry and Catch are reported as for any state. For a Map:
* ``mapIterationFailureCount`` iterations failed: more than its ToleratedFailureCount, or a
  larger share of its items than its ToleratedFailurePercentage, fails it with
  ``States.ExceedToleratedFailureThreshold`` ("The specified tolerated failure threshold was
  exceeded"); a Map that declares no tolerance is not failed by it (as AWS answers);
* ``mapItemReaderData`` is what its ItemReader reads, as found in its source (JSON, JSON Lines
  or CSV text, by the reader's ``InputType``): the items the failures are counted against;
* ``inspectionData`` holds ``maxConcurrency``, the declared ``toleratedFailureCount`` and
  ``toleratedFailurePercentage``, ``afterItemsPath`` and ``afterItemSelector``.

The state runs as the one state of a machine (``teststate``); while it does, the Map or Parallel
state under test (only that one) evaluates its items and tolerance as usual and then answers
from the mock instead of running its iterations or branches.
"""

from __future__ import annotations

import copy
import csv
import functools
import io
import json
from dataclasses import dataclass, field
from typing import Any

from moto.stepfunctions.parser.api import ExecutionFailedEventDetails, HistoryEventType, ValidationException
from moto.stepfunctions.parser.asl.component.common.error_name.failure_event import (
    FailureEvent,
    FailureEventException,
)
from moto.stepfunctions.parser.asl.component.state.exec.state_map.state_map import StateMap
from moto.stepfunctions.parser.asl.component.state.exec.state_parallel.state_parallel import StateParallel
from moto.stepfunctions.parser.asl.component.state.exec.state_task import mock_eval_utils
from moto.stepfunctions.parser.asl.eval.environment import Environment
from moto.stepfunctions.parser.asl.eval.event.event_detail import EventDetails
from moto.stepfunctions.parser.asl.eval.states import ItemData, MapData

from harness.engine.distributed_map_runtime import _threshold_exceeded, jsonl_items
from harness.engine.mock_config_file import Response, Returned, Thrown

UNSUPPORTED_WITHOUT_MOCK = ("TestState API does not support Map or Parallel states. Supported state types include: "
                            "[Task, Wait, Pass, Succeed, Fail, Choice]")


def check_result_shape(state: dict[str, Any], result: Any) -> None:
    """AWS's checks of a mocked Map or Parallel result, with its words."""
    if state["Type"] == "Map" and "ResultWriter" in state:
        if not isinstance(result, dict):
            raise ValidationException("Mocked result must be a JSON object.")
        return
    if not isinstance(result, list):
        raise ValidationException("Mocked result must be an array.")
    if state["Type"] == "Parallel" and len(result) != len(state.get("Branches", [])):
        raise ValidationException("Mocked result must contain the same number of items as number of Parallel branches.")


def inner_state_names(state: dict[str, Any]) -> set[str]:
    """Every state declared inside a Map's processor or a Parallel's branches, at any depth."""
    names: set[str] = set()
    machines = [*state.get("Branches", [])]
    for key in ("ItemProcessor", "Iterator"):
        if isinstance(state.get(key), dict):
            machines.append(state[key])
    for machine in machines:
        for name, inner in (machine.get("States") or {}).items():
            names.add(name)
            if isinstance(inner, dict):
                names |= inner_state_names(inner)
    return names


def reader_items(state: dict[str, Any], data: str) -> list[Any]:
    """``mapItemReaderData`` read as the state's ItemReader reads its source."""
    config = (state.get("ItemReader") or {}).get("ReaderConfig") or {}
    kind = str(config.get("InputType", "JSON")).upper()
    try:
        if kind == "JSONL":
            return jsonl_items(data)
        if kind == "CSV":
            rows = list(csv.reader(io.StringIO(data), delimiter=config.get("CSVDelimiter") == "TAB" and "\t" or ","))
            if config.get("CSVHeaderLocation") == "GIVEN":
                headers = list(config.get("CSVHeaders") or [])
            else:
                headers, rows = (rows[0], rows[1:]) if rows else ([], [])
            return [dict(zip(headers, row)) for row in rows]
        if kind != "JSON":
            raise ValidationException(f"mapItemReaderData cannot stand for an ItemReader of InputType {kind}")
        items = json.loads(data)
    except ValueError as bad:
        raise ValidationException(f"mapItemReaderData is not {kind} as the ItemReader reads it: {bad}") from None
    if not isinstance(items, list):
        raise ValidationException("mapItemReaderData must hold an array of items for an ItemReader of JSON")
    return items


@dataclass
class CompositeMock:
    """The Map or Parallel state under test: its mock, its configuration, what it inspected."""

    state: dict[str, Any]
    response: Response
    failure_count: int | None = None
    reader_data: str | None = None
    inspection: dict[str, Any] = field(default_factory=dict)

    def declared(self, name: str) -> bool:
        return name in self.state or f"{name}Path" in self.state


def _taken(env: Environment) -> CompositeMock | None:
    """The mock, once: only the Map or Parallel state under test answers from it."""
    manager = env.event_manager
    mock = getattr(manager, "_test_state_composite", None)
    if mock is not None:
        manager._test_state_composite = None  # type: ignore[attr-defined]
    return mock


def _fail(env: Environment, error: str, cause: str | None) -> FailureEventException:
    details = ExecutionFailedEventDetails(error=error, **({"cause": cause} if cause else {}))
    return FailureEventException(failure_event=FailureEvent(
        env=env, error_name=mock_eval_utils.CustomErrorName(error_name=error),
        event_type=HistoryEventType.ExecutionFailed, event_details=EventDetails(executionFailedEventDetails=details)))


def _answer(env: Environment, mock: CompositeMock) -> None:
    if isinstance(mock.response, Thrown):
        raise _fail(env, mock.response.error, mock.response.cause)
    assert isinstance(mock.response, Returned)
    env.stack.append(copy.deepcopy(mock.response.payload))


def _item_selections(state_map: StateMap, env: Environment, items: list[Any]) -> list[Any]:
    """Each iteration's input, as its ItemSelector (or Parameters) makes it."""
    selector = state_map.item_selector or state_map.parameters
    state_input = env.states.get_input()
    selected = []
    for index, item in enumerate(items):
        frame = env.open_inner_frame()
        try:
            frame.states.context_object.context_object_data["Map"] = MapData(Item=ItemData(Index=index, Value=item))
            frame.states.reset(input_value=state_input)
            frame.stack.append(state_input)
            selector.eval(frame)
            selected.append(frame.stack.pop())
        finally:
            env.close_frame(frame)
    return selected


def _map_execution(original: Any, self: StateMap, env: Environment) -> None:
    mock = _taken(env)
    if mock is None:
        return original(self, env)
    self.max_concurrency_decl.eval(env=env)
    mock.inspection["maxConcurrency"] = env.stack.pop()
    if mock.reader_data is not None:
        items: list[Any] = reader_items(mock.state, mock.reader_data)
    elif self.item_reader is not None:
        items = []  # nothing read: no data was given for the reader
    else:
        if self.items_path:
            self.items_path.eval(env=env)
        if self.items:
            self.items.eval(env=env)
        items = env.stack.pop()
        if not isinstance(items, list):
            raise _fail(env, "States.QueryEvaluationError", f"Map state input must be an array but was: {type(items)}")
        if "ItemsPath" in mock.state:
            mock.inspection["afterItemsPath"] = json.dumps(items)
    if self.item_selector or self.parameters:
        mock.inspection["afterItemSelector"] = json.dumps(_item_selections(self, env, items))
    frame = env.open_frame()
    try:
        frame.states.reset(input_value=env.states.get_input())
        self.tolerated_failure_count_decl.eval(env=frame)
        count = frame.stack.pop()
        self.tolerated_failure_percentage_decl.eval(env=frame)
        percentage = frame.stack.pop()
    finally:
        env.close_frame(frame)
    if mock.declared("ToleratedFailureCount"):
        mock.inspection["toleratedFailureCount"] = count
    if mock.declared("ToleratedFailurePercentage"):
        mock.inspection["toleratedFailurePercentage"] = percentage
    failed = mock.failure_count or 0
    over_count = mock.declared("ToleratedFailureCount") and failed > count
    over_share = mock.declared("ToleratedFailurePercentage") and bool(items) and 100.0 * failed / len(items) > percentage
    if failed and (over_count or over_share) and not isinstance(mock.response, Thrown):
        raise _threshold_exceeded(env)
    _answer(env, mock)


def _parallel_execution(original: Any, self: StateParallel, env: Environment) -> None:
    mock = _taken(env)
    if mock is None:
        return original(self, env)
    env.stack.pop()  # the branches' input: no branch runs
    _answer(env, mock)


def _wrap(cls: type, replacement: Any) -> None:
    original = cls._eval_execution  # type: ignore[attr-defined]
    if getattr(original, "__test_state__", False):
        return
    wrapped = functools.wraps(original)(lambda self, env: replacement(original, self, env))
    wrapped.__test_state__ = True
    cls._eval_execution = wrapped  # type: ignore[attr-defined]


def install() -> None:
    _wrap(StateMap, _map_execution)
    _wrap(StateParallel, _parallel_execution)
