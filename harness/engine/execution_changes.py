"""A signal the emulator's waits block on: raised each time an execution starts or ends.

Not an AWS behaviour, and no operation answers differently: moto records a run's status on its
objects and tells no one, so the emulator's wait path (``harness/stacks/emulator_waits.py``)
looked at that status every 10 ms, and a wait for an execution ended up to 10 ms after the
execution did (the bench's latency figures came in steps of 10 ms). Here the two places where
moto changes a run's status, ``Execution.start`` and ``BaseExecutionWorkerCommunication.terminated``
(every way a run ends: succeeded, failed, timed out, stopped), bump a counter and wake whoever
waits on it, once the status they set is in place; the wait looks again at once.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable
from typing import Any

from moto.stepfunctions.parser.backend.execution import BaseExecutionWorkerCommunication, Execution

_changed = threading.Condition()
_count = 0


def count() -> int:
    """How many starts and ends so far: read before looking, then ``wait_after`` that count."""
    return _count


def notify() -> None:
    global _count
    with _changed:
        _count += 1
        _changed.notify_all()


def wait_after(seen: int, timeout: float) -> bool:
    """Block until an execution started or ended since ``count()`` was ``seen``, at most ``timeout``
    seconds; whether one did."""
    with _changed:
        return _changed.wait_for(lambda: _count != seen, timeout=timeout)


def _notifying(method: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(method)
    def changed(self: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            return method(self, *args, **kwargs)
        finally:
            notify()

    changed.__notifies_changes__ = True  # type: ignore[attr-defined]
    return changed


def install() -> None:
    # After execution_status_events, whose versions of both it wraps: the change is announced
    # on the event bus before a waiter looks.
    if not getattr(Execution.start, "__notifies_changes__", False):
        Execution.start = _notifying(Execution.start)  # type: ignore[method-assign]
    terminated = BaseExecutionWorkerCommunication.terminated
    if not getattr(terminated, "__notifies_changes__", False):
        BaseExecutionWorkerCommunication.terminated = _notifying(terminated)  # type: ignore[method-assign]
