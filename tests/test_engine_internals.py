"""Fail loudly if a moto upgrade moves what the engine patches rely on.

The emulator is pinned to moto 5.2.5; each assertion names the internal a patch module uses, so
an upgrade that breaks an addition fails here first, with the module to look at.
"""

from __future__ import annotations

import inspect

import moto
import pytest

PINNED_MOTO = "5.2.5"


def test_moto_is_the_pinned_version() -> None:
    assert moto.__version__ == PINNED_MOTO, (
        f"moto {moto.__version__} != {PINNED_MOTO}: re-run tests/ and bench/conformance.py, then re-pin")


def test_time_scale_wait_points_exist() -> None:
    from moto.stepfunctions.parser.asl.component.common.retry import retrier_decl
    from moto.stepfunctions.parser.asl.component.program import program
    from moto.stepfunctions.parser.asl.component.state.exec import execute_state
    from moto.stepfunctions.parser.asl.component.state.wait.wait_function.wait_function import WaitFunction
    from moto.stepfunctions.parser.asl.eval.callback import callback

    assert "time.sleep(interval_seconds)" in inspect.getsource(retrier_decl.RetrierDecl._eval_body)
    assert "threading.Event()" in inspect.getsource(execute_state.ExecutionState._evaluate_with_timeout)
    assert "worker_thread.join(timeout=timeout)" in inspect.getsource(program.Program.eval)
    assert callback.HeartbeatEndpoint.__init__.__code__.co_names.count("Event") >= 1
    assert "_wait_interval" in WaitFunction.__dict__


def test_installed_patches_are_in_place() -> None:
    from moto.stepfunctions.parser.asl.component.common.retry import retrier_decl
    from moto.stepfunctions.parser.asl.component.common.string.string_expression import (
        StringJSONata,
        StringVariableSample,
    )
    from moto.stepfunctions.parser.asl.component.state.exec.state_task.state_task import StateTask
    from moto.stepfunctions.parser.asl.eval.callback import callback
    from moto.stepfunctions.parser.asl.parse.preprocessor import Preprocessor
    from moto.stepfunctions.parser.backend.execution_worker import ExecutionWorker
    from moto.stepfunctions.responses import StepFunctionResponse

    from harness import engine
    from harness.engine import jsonata_states, time_scale

    engine.install()
    assert StringJSONata._eval_body is jsonata_states._string_jsonata_eval_body
    assert StringVariableSample._eval_body is jsonata_states._string_variable_sample_eval_body
    assert getattr(StateTask._from_error, "__heartbeat_patched__", False)
    assert callback.Event is time_scale.ScaledEvent
    assert isinstance(retrier_decl.time, time_scale.ModuleWith)
    assert getattr(Preprocessor.__init__, "__own_scope__", False)
    assert getattr(ExecutionWorker._get_evaluation_environment, "__redrive_count__", False)
    assert getattr(StepFunctionResponse.create_state_machine, "__definition_checked__", False)
    assert hasattr(StepFunctionResponse, "validate_state_machine_definition")


def test_mock_config_and_error_name_hooks_are_in_place() -> None:
    from moto.stepfunctions.parser.asl.component.common.error_name import error_equals_decl
    from moto.stepfunctions.parser.asl.component.state.exec.state_task.service.state_task_service_aws_sdk import (
        StateTaskServiceAwsSdk,
    )
    from moto.stepfunctions.parser.asl.component.state.fail import state_fail
    from moto.stepfunctions.parser.asl.eval.environment import Environment
    from moto.stepfunctions.parser.models import StepFunctionsParserBackend

    from harness import engine
    from harness.engine import error_matching, mocked_executions

    engine.install()
    # moto's own mocking hooks that mocked_executions feeds: the mocked answer in the service task.
    assert "is_mocked_mode" in Environment.__dict__
    assert getattr(StepFunctionsParserBackend.start_execution, "__mock_config__", False)
    assert Environment.get_current_mocked_response is mocked_executions._get_current_mocked_response
    assert error_equals_decl.ErrorEqualsDecl._eval_body is error_matching._eval_body
    assert state_fail.CustomErrorName is error_matching.ReportedErrorName
    assert getattr(StateTaskServiceAwsSdk._eval_service_task, "__s3_results__", False)


def test_moto_still_has_the_bugs_the_patches_fix() -> None:
    # If moto fixes one of these upstream, the patch may be dropped (or now conflicts).
    from moto.stepfunctions.parser.asl.jsonata import jsonata
    from moto.stepfunctions.parser.asl.parse.preprocessor import Preprocessor

    assert "_eval_jsonata = None" in inspect.getsource(jsonata.eval_jsonata_expression)
    assert "_query_language_per_scope" in Preprocessor.__dict__


@pytest.mark.parametrize("expression,bindings,expected", [
    ("$sum($states.input.n)", {"states": {"input": {"n": [1, 2]}}}, 3),
    ("$x", {"x": None}, None),
])
def test_jsonata_library_behaviour(expression: str, bindings: dict, expected: object) -> None:
    # jsonatapy keeps a null binding as null (not undefined), which variables rely on.
    from harness.engine.jsonata_eval import evaluate

    assert evaluate(expression, bindings) == expected


def test_dynamodb_writes_are_wrapped_once_and_still_work() -> None:
    from moto.dynamodb.models import DynamoDBBackend

    from harness.engine import dynamodb_atomic_writes

    dynamodb_atomic_writes.install()
    dynamodb_atomic_writes.install()
    for name in dynamodb_atomic_writes.WRITES:
        write = getattr(DynamoDBBackend, name)
        assert getattr(write, "__harness_atomic__", False), f"{name} is not atomic"
        assert not getattr(write.__wrapped__, "__harness_atomic__", False), f"{name} wrapped twice"


def test_task_token_patch_points_exist_and_install_once() -> None:
    from moto.stepfunctions.parser.asl.component.state.exec import execute_state
    from moto.stepfunctions.parser.asl.component.state.exec.state_task.service import (
        state_task_service_callback,
    )
    from moto.stepfunctions.parser.asl.eval.callback.callback import CallbackEndpoint
    from moto.stepfunctions.parser.models import StepFunctionsParserBackend

    from harness.engine import task_token_per_attempt as tokens

    # moto's module text, not the (patched) classes: one token per state, made in _eval_body;
    # the Retry loop runs _evaluate_with_timeout per attempt.
    callback_source = inspect.getsource(state_task_service_callback)
    assert "task_token = env.states.context_object.update_task_token()" in callback_source
    assert "env.callback_pool_manager.add(task_token)" in callback_source
    assert "self._evaluate_with_timeout(env)" in inspect.getsource(execute_state.ExecutionState._eval_state)
    assert "consumer_error" in CallbackEndpoint.__init__.__code__.co_names

    tokens.install()
    tokens.install()
    cls = state_task_service_callback.StateTaskServiceCallback
    assert getattr(cls._evaluate_with_timeout, "__token_per_attempt__", False)
    assert not getattr(cls._evaluate_with_timeout.__wrapped__, "__token_per_attempt__", False)
    assert cls._eval_body is tokens._eval_body
    assert StepFunctionsParserBackend.send_task_heartbeat is tokens.send_task_heartbeat


def test_modules_swapped_for_time_scaling_still_have_every_name_of_the_real_module() -> None:
    import threading
    import time

    from harness.engine.time_scale import ModuleWith, ScaledEvent

    stand_in = ModuleWith(threading, Event=ScaledEvent)
    assert stand_in.Event is ScaledEvent
    for name in (n for n in dir(threading) if not n.startswith("__")):
        assert getattr(stand_in, name) is getattr(threading, name) or name == "Event", name
    assert ModuleWith(time, sleep=print).monotonic is time.monotonic


def test_every_replaced_moto_symbol_exists_and_is_replaced_by_install() -> None:
    # A fresh interpreter: moto as released, then with the engine installed.
    script = """
import importlib, sys
from harness import engine

def resolve(dotted):
    parts = dotted.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            obj = importlib.import_module(".".join(parts[:cut]))
        except ImportError:
            continue
        for name in parts[cut:]:
            obj = getattr(obj, name)
        return obj
    raise ImportError(dotted)

def exists(dotted):
    try:
        resolve(dotted)
        return True
    except AttributeError:
        return False

def symbols(table):
    return [s for entries in table.values() for entry in entries for s in engine.expand(entry)]

before = {s: resolve(s) for s in symbols(engine.REPLACES)}
missing_extended = [s for s in symbols(engine.EXTENDS) if not exists(s)]
present_already = [s for s in symbols(engine.ADDS) if exists(s)]
engine.install()
problems = [f"not replaced: {s}" for s, obj in before.items() if resolve(s) is obj]
problems += [f"not added: {s}" for s in symbols(engine.ADDS) if not exists(s)]
problems += [f"moto has it already: {s}" for s in present_already]
problems += [f"moto has no: {s}" for s in missing_extended]
print(problems)
sys.exit(1 if problems else 0)
"""
    import subprocess
    import sys

    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_tables_name_every_installed_module() -> None:
    import inspect

    from harness import engine

    installed = [line.strip().split(".")[0] for line in inspect.getsource(engine.install).splitlines()
                 if line.strip().endswith(".install()")]
    named = set(engine.REPLACES) | set(engine.ADDS) | set(engine.EXTENDS)
    assert sorted(set(installed) - named) == []
    assert sorted(named - set(installed)) == []
