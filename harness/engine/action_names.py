"""Which actions a service's response class answers, listed once per class, not per request.

Replaces ``moto.core.utils.method_names_from_class`` as ``moto.core.responses`` calls it in
``BaseResponse.call_action``: for every request moto lists all members of the response class
with ``inspect.getmembers`` (hundreds of attributes through the class hierarchy) to learn whether
the action is one of its methods. The list is kept per class and made again if the class gains or
loses an attribute (the engine adds actions to some classes at start-up), so it is moto's own.
"""

from __future__ import annotations

import functools
from typing import Any

from moto.core import responses, utils

_original = utils.method_names_from_class


@functools.lru_cache(maxsize=512)
def _names(clazz: Any, size: int) -> tuple[str, ...]:
    return tuple(_original(clazz))


@functools.wraps(_original)
def method_names_from_class(clazz: Any) -> tuple[str, ...]:
    # The attribute count of the class and its bases: changes when an action is added or removed.
    size = sum(len(vars(klass)) for klass in getattr(clazz, "__mro__", (clazz,)))
    return _names(clazz, size)


def install() -> None:
    responses.method_names_from_class = method_names_from_class  # type: ignore[assignment]
