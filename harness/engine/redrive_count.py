"""The context object's ``Execution.RedriveCount``.

AWS's context object lists ``$$.Execution.RedriveCount``: how many times the execution was
redriven, 0 for one that was started and never redriven. moto leaves it out, so
``$$.Execution`` and ``$states.context.Execution`` lack a field AWS shows. An execution starts
with 0; a redrive (``redrive_execution``) sets the count it runs with.
"""

from __future__ import annotations

import functools

from moto.stepfunctions.parser.asl.eval.environment import Environment
from moto.stepfunctions.parser.backend.execution_worker import ExecutionWorker


def install() -> None:
    original = ExecutionWorker._get_evaluation_environment
    if getattr(original, "__redrive_count__", False):
        return

    @functools.wraps(original)
    def _get_evaluation_environment(self: ExecutionWorker) -> Environment:
        env = original(self)
        env.states.context_object.context_object_data["Execution"].setdefault("RedriveCount", 0)
        return env

    _get_evaluation_environment.__redrive_count__ = True  # type: ignore[attr-defined]
    ExecutionWorker._get_evaluation_environment = _get_evaluation_environment  # type: ignore[method-assign]
