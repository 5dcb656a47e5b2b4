"""Adding or replacing a Step Functions API action of moto's server.

moto's server answers an action with the method of ``StepFunctionResponse`` named after it
(``StartSyncExecution`` -> ``start_sync_execution``); an action without one answers HTTP 500
(NotImplementedError). The engine's modules register theirs here.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from moto.core.responses import ActionResult
from moto.stepfunctions.exceptions import InvalidToken
from moto.stepfunctions.responses import StepFunctionResponse

Action = Callable[[StepFunctionResponse], ActionResult]


def register(*actions: Action) -> None:
    """Install each function as the action of its name."""
    for fn in actions:
        setattr(StepFunctionResponse, fn.__name__, fn)


def param(response: StepFunctionResponse, name: str, default: Any = None) -> Any:
    return response._get_param(name, if_none=default)


def page(items: list[Any], size: int, token: str | None) -> tuple[list[Any], str | None]:
    """One page of ``items`` and the token of the next (its offset; opaque to clients)."""
    try:
        start = int(token) if token else 0
    except ValueError:
        raise InvalidToken(f"'{token}'") from None
    end = start + size
    return items[start:end], (str(end) if end < len(items) else None)
