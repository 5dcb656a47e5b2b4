"""DynamoDB writes are atomic, conditions included, and reads see a write whole.

AWS evaluates a write's ConditionExpression and applies the write as one step per item, and a
read sees an item as it was before a write or after it, never half-way. moto's server handles
requests on many threads and checks the condition, then writes, with nothing in between to stop
a second request for the same item: two overlapping conditional writes can both pass. And an
UpdateItem sets its attributes one after another on the live item, so a GetItem answered
meanwhile saw some of them (a status set, the fields written with it not yet). One lock around
the item-writing calls, and around the item-reading answers (taken while the answer is made,
so nothing changes the item as it is serialised), makes each of them one step, as on AWS.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable
from typing import Any

from moto.dynamodb.models import DynamoDBBackend
from moto.dynamodb.responses import DynamoHandler

WRITES = ("put_item", "update_item", "delete_item", "transact_write_items")
READS = ("get_item", "batch_get_item", "query", "scan", "transact_get_items")
_lock = threading.RLock()


def _atomic(call: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(call)
    def locked(*args: Any, **kwargs: Any) -> Any:
        with _lock:
            return call(*args, **kwargs)

    locked.__harness_atomic__ = True  # type: ignore[attr-defined]
    return locked


def install() -> None:
    for owner, names in ((DynamoDBBackend, WRITES), (DynamoHandler, READS)):
        for name in names:
            call = getattr(owner, name)
            if not getattr(call, "__harness_atomic__", False):
                setattr(owner, name, _atomic(call))
