"""DynamoDB writes are atomic, conditions included.

AWS evaluates a write's ConditionExpression and applies the write as one step per item. moto's
server handles requests on many threads and checks the condition, then writes, with nothing in
between to stop a second request for the same item: two overlapping conditional writes can both
pass. One lock around the item-writing calls makes each condition-and-write one step, as on AWS.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable
from typing import Any

from moto.dynamodb.models import DynamoDBBackend

WRITES = ("put_item", "update_item", "delete_item", "transact_write_items")
_lock = threading.RLock()


def _atomic(write: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(write)
    def locked(*args: Any, **kwargs: Any) -> Any:
        with _lock:
            return write(*args, **kwargs)

    locked.__harness_atomic__ = True  # type: ignore[attr-defined]
    return locked


def install() -> None:
    for name in WRITES:
        write = getattr(DynamoDBBackend, name)
        if not getattr(write, "__harness_atomic__", False):
            setattr(DynamoDBBackend, name, _atomic(write))
