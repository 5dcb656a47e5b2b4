"""A signal the emulator's waits block on: raised each time an execution starts or ends.

Not an AWS behaviour, and no operation answers differently: moto records a run's status on its
objects and tells no one, so the emulator's wait path (``harness/stacks/emulator_waits.py``)
looked at that status every 10 ms, and a wait for an execution ended up to 10 ms after the
execution did (the bench's latency figures came in steps of 10 ms). The engine's own versions of
the two places where moto changes a run's status (``harness/engine/execution_status_events.py``:
``Execution.start``, and ``BaseExecutionWorkerCommunication.terminated``, every way a run ends)
call ``notify`` once the status they set is in place: it bumps a counter and wakes whoever waits
on it, and the wait looks again at once.
"""

from __future__ import annotations

import threading

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
