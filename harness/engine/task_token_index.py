"""Where each task token lives, so a callback finds its execution without looking at all of them.

``SendTaskHeartbeat``, ``SendTaskSuccess`` and ``SendTaskFailure`` look their token up in the
callback pool of every execution the emulator holds (``task_token_per_attempt._find``, as moto
does): a cost that grows with every execution kept, paid by every callback (6.6% of the
emulator's time after 300 requests).

Here each token is noted, as its attempt issues it, with the execution whose callback pool holds
it (each execution's worker notes itself on its pool when it makes its environment; a redrive's
worker too). A lookup takes the noted execution only while that answer is the one the search
would give: the execution is still held by the backend asked (noted when the backend started it,
taken off when its state machine is deleted: another backend, or a reset, finds nothing there),
and its current worker's pool (a redrive makes a new one) still holds the token. Anything else,
a token never noted among them, is searched for as before, so the answers stay those of the
search: the endpoint and whether its execution runs, or InvalidToken.
"""

from __future__ import annotations

import functools
import weakref
from collections.abc import Callable
from typing import Any

from moto.stepfunctions.parser.asl.eval.callback.callback import CallbackEndpoint
from moto.stepfunctions.parser.asl.eval.environment import Environment
from moto.stepfunctions.parser.backend.execution import Execution
from moto.stepfunctions.parser.backend.execution_worker import ExecutionWorker
from moto.stepfunctions.parser.models import StepFunctionsParserBackend

_OWNER = "_harness_execution"  # on a callback pool: the execution whose worker made it
_HELD_BY = "_harness_backend"  # on an execution: the backend that holds it

# token -> the execution that issued it. Tokens are unique. The note keeps no execution alive:
# once moto lets one go (its state machine deleted, the backend reset) its tokens go with it,
# so the index of a long run (a split run's shared emulator) holds only what moto holds.
_issued: weakref.WeakValueDictionary[str, Execution] = weakref.WeakValueDictionary()


def note_issued(token: str, env: Environment) -> None:
    execution = getattr(env.callback_pool_manager, _OWNER, None)
    if execution is not None:
        _issued[token] = execution


def noted(backend: StepFunctionsParserBackend, token: str) -> tuple[CallbackEndpoint, Execution] | None:
    """The token's endpoint and execution where the note still answers as the search would."""
    execution = _issued.get(token)
    if execution is None or getattr(execution, _HELD_BY, None) is not backend:
        return None
    worker = execution.exec_worker
    if worker is None or worker.env is None:
        return None
    endpoint = worker.env.callback_pool_manager.get(token)
    return None if endpoint is None else (endpoint, execution)


def _owning_environment(original: Callable[[ExecutionWorker], Environment]) -> Callable[[ExecutionWorker], Environment]:
    @functools.wraps(original)
    def _get_evaluation_environment(self: ExecutionWorker) -> Environment:
        env = original(self)
        setattr(env.callback_pool_manager, _OWNER, self._execution_communication.execution)
        return env

    _get_evaluation_environment.__token_index__ = True  # type: ignore[attr-defined]
    return _get_evaluation_environment


def _holding(original: Callable[..., Execution]) -> Callable[..., Execution]:
    @functools.wraps(original)
    def start_execution(self: StepFunctionsParserBackend, *args: Any, **kwargs: Any) -> Execution:
        execution = original(self, *args, **kwargs)
        # Only where the search finds it (an execution kept elsewhere is not searched).
        if any(execution in machine.executions for machine in self.state_machines):
            setattr(execution, _HELD_BY, self)
        return execution

    return start_execution


def _releasing(original: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(original)
    def delete_state_machine(self: StepFunctionsParserBackend, arn: str) -> Any:
        machine = next((sm for sm in self.state_machines if sm.arn == arn), None)
        result = original(self, arn)
        if machine is not None and machine not in self.state_machines:
            for execution in machine.executions:
                setattr(execution, _HELD_BY, None)
        return result

    return delete_state_machine


def install() -> None:
    if getattr(ExecutionWorker._get_evaluation_environment, "__token_index__", False):
        return
    ExecutionWorker._get_evaluation_environment = _owning_environment(  # type: ignore[method-assign]
        ExecutionWorker._get_evaluation_environment)
    StepFunctionsParserBackend.start_execution = _holding(  # type: ignore[method-assign]
        StepFunctionsParserBackend.start_execution)
    StepFunctionsParserBackend.delete_state_machine = _releasing(  # type: ignore[method-assign]
        StepFunctionsParserBackend.delete_state_machine)
