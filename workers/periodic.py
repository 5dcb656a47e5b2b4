"""Something done every few seconds in the background while a block runs (heartbeats, leases).

Each block's action runs on a thread of its own, so a slow heartbeat never delays a lease
renewal. The threads are kept between blocks: an app works on one message after another, each
with a lease and a heartbeat, and starting a thread makes the caller wait until the new thread
has run (``Thread.start``), which on a busy machine took a millisecond or more of every task's
start, before its first call. A block takes a waiting thread and goes on at once; a thread is
started only when none is waiting (at an app's first message, two).
"""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

Action = Callable[[], "bool | None"]


class _Job:
    def __init__(self, interval: float, action: Action, name: str) -> None:
        self.interval, self.action, self.name = interval, action, name
        self.stop = threading.Event()
        self.done = threading.Event()

    def run(self) -> None:
        while not self.stop.wait(self.interval):
            if self.action() is False:
                return


class _Runner:
    """A thread that runs one job after another, each until it is stopped."""

    def __init__(self) -> None:
        self._given = threading.Condition()
        self._job: _Job | None = None
        self.thread = threading.Thread(target=self._serve, name="periodic", daemon=True)
        self.thread.start()

    def give(self, job: _Job) -> None:
        with self._given:
            self._job = job
            self._given.notify()

    def _serve(self) -> None:
        while True:
            with self._given:
                self._given.wait_for(lambda: self._job is not None)
                job = self._job
            assert job is not None
            self.thread.name = job.name
            try:
                job.run()
            except BaseException:  # noqa: BLE001 - reported, and this thread goes on serving
                # Reported as an uncaught exception of a thread of its own would be. The thread
                # must not end: it is about to wait again, and the next block would hand its
                # job to nobody, then wait forever for the job to be done.
                threading.excepthook(threading.ExceptHookArgs((*sys.exc_info(), self.thread)))
            finally:
                with self._given:
                    self._job = None
                # Waiting again before the block that gave the job hears it is over, so the
                # next block finds this thread rather than start another.
                with _waiting_lock:
                    _waiting.append(self)
                job.done.set()


_waiting: list[_Runner] = []
_waiting_lock = threading.Lock()


def _forget_threads() -> None:
    # A forked child has none of its parent's threads.
    _waiting.clear()


os.register_at_fork(after_in_child=_forget_threads)


def _runner() -> _Runner:
    with _waiting_lock:
        while _waiting:
            runner = _waiting.pop()
            if runner.thread.is_alive():
                return runner
    return _Runner()


@contextmanager
def every(interval: float, action: Action, name: str) -> Iterator[None]:
    """Call ``action`` every ``interval`` seconds until the block ends; it returns False to stop early.

    Once the block has ended the action is not running, and is never called again.
    """
    job = _Job(interval, action, name)
    _runner().give(job)
    try:
        yield
    finally:
        job.stop.set()
        job.done.wait()
