"""A state's ``Assign`` takes effect when the state ends: its own output still sees the old values.

AWS ("Passing data between states with variables", evaluation order): a state's Assign is
evaluated with the variables as they were when the state was entered, and the new values are
visible from the next state on; the state's own ``OutputPath`` (JSONPath) or ``Output``
(JSONata) still reads the values from before. moto stored each assignment at once, so
``"OutputPath": "$answer"`` beside ``"Assign": {"answer": ...}`` read the new value.
Here the assignments are kept on the state's environment and stored right after the output is
processed, before the state's exit event (which lists them).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from moto.stepfunctions.parser.asl.component.common.assign.assign_decl import AssignDecl
from moto.stepfunctions.parser.asl.component.state.choice.state_choice import StateChoice
from moto.stepfunctions.parser.asl.component.state.exec.execute_state import ExecutionState
from moto.stepfunctions.parser.asl.component.state.state import CommonStateField
from moto.stepfunctions.parser.asl.eval.environment import Environment

PENDING = "_assignments_pending"


def _assign_later(self: AssignDecl, env: Environment) -> None:
    declarations: dict[str, Any] = {}
    for binding in self.declaration_bindings:
        binding.eval(env=env)
        declarations.update(env.stack.pop())
    pending = getattr(env, PENDING, None)
    if pending is None:
        pending = {}
        setattr(env, PENDING, pending)
    pending.update(declarations)


def apply_pending(env: Environment) -> None:
    pending = getattr(env, PENDING, None)
    if pending:
        setattr(env, PENDING, None)
        for identifier, value in pending.items():
            env.variable_store.set(variable_identifier=identifier, variable_value=value)


def _after_output(original: Callable[[CommonStateField, Environment], None]) -> Callable[..., None]:
    @functools.wraps(original)
    def _eval_state_output(self: CommonStateField, env: Environment) -> None:
        try:
            original(self, env)
        finally:
            apply_pending(env)

    return _eval_state_output


# Each class that processes a state's output in its own way (a Catch's output, a Choice's branch).
OUTPUT_CLASSES = (CommonStateField, ExecutionState, StateChoice)


def install() -> None:
    AssignDecl._eval_body = _assign_later  # type: ignore[method-assign]
    for cls in OUTPUT_CLASSES:
        cls._eval_state_output = _after_output(cls.__dict__["_eval_state_output"])  # type: ignore[method-assign]
