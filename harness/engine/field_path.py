"""Which field of a state is being evaluated, as AWS names it in its error causes.

AWS's causes say e.g. "The JSONata expression '$x' specified for the field 'Output/result'";
moto's components know only their own name, not their parents'. The classes that open a field
(Output, Arguments, Assign, a key of a template object, Items, a Choice Condition) push their name
on a per-thread stack while they evaluate; Map and Parallel branches run in threads of their own,
so their fields start from an empty stack as they should.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable
from typing import Any

from moto.stepfunctions.parser.asl.component.common.assign.assign_decl import AssignDecl
from moto.stepfunctions.parser.asl.component.common.assign.assign_template_binding import (
    AssignTemplateBinding,
)
from moto.stepfunctions.parser.asl.component.common.jsonata.jsonata_template_binding import (
    JSONataTemplateBinding,
)
from moto.stepfunctions.parser.asl.component.common.outputdecl import Output
from moto.stepfunctions.parser.asl.component.common.parargs import Arguments
from moto.stepfunctions.parser.asl.component.eval_component import EvalComponent
from moto.stepfunctions.parser.asl.component.state.choice.comparison.comparison import (
    ConditionStringJSONata,
)
from moto.stepfunctions.parser.asl.component.state.exec.state_map.items.items import Items

_local = threading.local()

# class -> how to name the field it opens
_LABELS: dict[type[EvalComponent], Callable[[Any], str]] = {
    Output: lambda c: "Output",
    Arguments: lambda c: "Arguments",
    AssignDecl: lambda c: "Assign",
    JSONataTemplateBinding: lambda c: str(c.identifier),
    AssignTemplateBinding: lambda c: str(c.identifier),
    Items: lambda c: "Items",
    ConditionStringJSONata: lambda c: "Condition",
}


def _stack() -> list[str]:
    stack: list[str] | None = getattr(_local, "stack", None)
    if stack is None:
        stack = _local.stack = []
    return stack


def current(fallback: str | None = None) -> str | None:
    """'Output/result'-style path of the field being evaluated, or ``fallback`` outside any."""
    stack = _stack()
    return "/".join(stack) if stack else fallback


def _wrap(cls: type[EvalComponent], label: Callable[[Any], str]) -> None:
    original = cls.eval
    if getattr(original, "__field_path__", False):
        return

    @functools.wraps(original)
    def eval(self: EvalComponent, env: Any) -> None:  # noqa: A001 - moto's method name
        stack = _stack()
        stack.append(label(self))
        try:
            original(self, env)
        finally:
            stack.pop()

    eval.__field_path__ = True  # type: ignore[attr-defined]
    cls.eval = eval  # type: ignore[method-assign]


def install() -> None:
    for cls, label in _LABELS.items():
        _wrap(cls, label)
