"""Fault injection for the fault scenarios: real crashes and hangs, switched on by settings.

Each setting names the app it applies to, so one environment can be given to every app (as a
compose file would) and only that app misbehaves:

- ``FAULT_CRASH_AFTER_FIRST_WRITE=<app>``: the app dies (exit status 86, no cleanup, no reply,
  no delete) right after its first write to S3, DynamoDB or Step Functions has succeeded, as a
  process killed mid-task would. Its message comes back after the visibility timeout.
- ``FAULT_CRASH_AFTER_FIRST_ARCHIVE_WRITE=<app>``: the same crash, right after the app's first
  write to the archive (S3). An app's first write is often a status in the catalogue; this one
  lets the crash fall after a file is archived, so the redo writes that file a second time.
- ``FAULT_HANG=<app>``: the app freezes itself (SIGSTOP) when it takes its first task, heartbeat
  thread included, as a process stuck in a long GC pause or swapped out would. Only SIGKILL or
  SIGCONT ends it.

Unset (the default) they do nothing; the apps check them only at these few points.
"""

from __future__ import annotations

import logging
import os
import signal

log = logging.getLogger(__name__)

CRASH_EXIT_STATUS = 86
_crash_points_passed: set[str] = set()
_hung = False


def _armed(setting: str) -> bool:
    target = os.environ.get(setting, "")
    return bool(target) and target == os.environ.get("APP_NAME")


def _crash_the_first_time(setting: str, which: str, what: str) -> None:
    # Each crash point fires on its first pass only: the restarted app is a new process anyway,
    # and within one process a later write of the same kind must go through.
    if setting in _crash_points_passed:
        return
    _crash_points_passed.add(setting)
    if _armed(setting):
        log.warning("fault injected: crashing after the %s (%s)", which, what)
        for handler in logging.getLogger().handlers:
            handler.flush()
        os._exit(CRASH_EXIT_STATUS)


def after_write(what: str) -> None:
    """Call right after a write succeeded; crashes the app here if it is told to."""
    _crash_the_first_time("FAULT_CRASH_AFTER_FIRST_WRITE", "first write", what)


def after_archive_write(what: str) -> None:
    """Call right after a write to the archive succeeded, instead of after_write."""
    _crash_the_first_time("FAULT_CRASH_AFTER_FIRST_ARCHIVE_WRITE", "first archive write", what)
    after_write(what)


def on_task_start() -> None:
    """Call when a task begins; freezes the whole process here if it is told to hang (once)."""
    global _hung
    if not _hung and _armed("FAULT_HANG"):
        _hung = True
        log.warning("fault injected: hanging (SIGSTOP) on this task")
        for handler in logging.getLogger().handlers:
            handler.flush()
        os.kill(os.getpid(), signal.SIGSTOP)
