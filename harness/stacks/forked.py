"""The stack's side of the app zygote (harness/stacks/zygote.py): start it, order forks, watch them.

One zygote per stack loads boto3 and the services' models once; each app is a fork of it. A
forked app is watched through ``ForkedChild``, which answers as ``subprocess.Popen`` does for a
child of the stack's own (``pid``, ``poll``, ``wait`` with a deadline, ``returncode``), from the
exit statuses the zygote reports. ``ManagedProcess`` signals the app's own group by its pid, as it
does a spawned process's.

Why not ``multiprocessing``'s forkserver, which forks from a preloaded server too: it is one per
interpreter, started with the runner's own environment, so its ``PYTHON*`` settings are the
runner's, not the apps'; it lives until the interpreter exits, not until the stack stops; and its
children run under multiprocessing's bootstrap (the runner's main module imported again in each,
its ``sys.path`` and ``argv``, an exit by ``os._exit`` that skips the app's atexit handlers). An
app must start as ``python -m`` starts it.

Where the zygote cannot serve (not Linux, another interpreter, a program that is not ``python
-m MODULE``, other settings read as Python starts than the zygote started with, a zygote that
died or did not answer in time), ``fork`` says so and the process is spawned as before.
"""

from __future__ import annotations

import json
import logging
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from harness.stacks.parent_death import dying_with_parent
from harness.stacks.zygote import SERVICES_SETTING

log = logging.getLogger(__name__)

# A forked app's status when its zygote died first: its end is seen, its status cannot be (the
# zygote reported statuses; the app was re-parented). As multiprocessing's forkserver does.
UNKNOWN_STATUS = 255
ORPHAN_POLL_SECONDS = 0.02
FORK_TIMEOUT_SECONDS = 60.0  # the zygote may still be loading boto3 when the first order comes
# SIGKILL ends a process at once: this bounds only a wait on a process that is not ours to reap.
KILLED_WAIT_SECONDS = 5.0
# What a Python reads from the environment once, as it starts, besides its PYTHON* settings: the
# locale (the encodings of its standard streams and file names) and the time zone (time.tzname,
# and what libraries the zygote loaded ahead computed from it). A fork keeps the zygote's.
STARTUP_NAMES = ("LANG", "TZ")
STARTUP_PREFIXES = ("PYTHON", "LC_")


def startup_settings(env: Mapping[str, str]) -> dict[str, str]:
    """What Python reads from the environment as it starts (PYTHONPATH, PYTHONHASHSEED, LANG, TZ ...)."""
    return {name: value for name, value in env.items() if name in STARTUP_NAMES or name.startswith(STARTUP_PREFIXES)}


def _stat(pid: int) -> list[str] | None:
    """The fields of /proc/PID/stat from the third (the state) on; None if there is no such process."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[-1].split()
    except (FileNotFoundError, ProcessLookupError):
        return None


def start_time(pid: int) -> str | None:
    """When the process started (clock ticks since boot): with its pid, it names one process, even
    once the pid is given to another."""
    fields = _stat(pid)
    return fields[19] if fields else None


def process_ended(pid: int, started: str | None = None) -> bool:
    """Whether a process, our child or not, has ended (gone, a zombie not yet reaped, or, given when
    it started, its pid now another process's)."""
    fields = _stat(pid)
    return fields is None or fields[0] in ("Z", "X") or (started is not None and fields[19] != started)


class ForkedChild:
    """A forked app as ``subprocess.Popen`` shows a child: its status comes from the zygote."""

    def __init__(self, pid: int, args: Sequence[str]) -> None:
        self.pid = pid
        self.args = list(args)
        self.returncode: int | None = None
        self._started = start_time(pid)
        self._changed = threading.Condition()
        self._orphaned = False

    def _ended(self, status: int) -> None:
        with self._changed:
            if self.returncode is None:
                self.returncode = status
            self._changed.notify_all()

    def _orphan(self) -> None:
        with self._changed:
            self._orphaned = True
            self._changed.notify_all()

    def poll(self) -> int | None:
        if self.returncode is None and self._orphaned and process_ended(self.pid, self._started):
            self._ended(UNKNOWN_STATUS)
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        """The exit status; ``subprocess.TimeoutExpired`` if the app has not ended by then."""
        deadline = None if timeout is None else time.monotonic() + timeout
        with self._changed:
            while self.poll() is None:
                left = None if deadline is None else deadline - time.monotonic()
                if left is not None and left <= 0:
                    raise subprocess.TimeoutExpired(self.args, timeout or 0)
                # An orphan's end is seen in /proc, with no one to tell: look again shortly.
                step = ORPHAN_POLL_SECONDS if self._orphaned else None
                self._changed.wait(step if left is None else min(left, step or left))
        return self.returncode


def _signal_group(child: ForkedChild, signum: int) -> None:
    if child.poll() is None:  # never a group whose leader has ended: its pid may be another's now
        try:
            os.killpg(child.pid, signum)
        except ProcessLookupError:
            pass


@dataclass
class _Order:
    """A fork ordered and not yet answered: what the reader hands over, under the zygote's lock."""

    answered: threading.Event = field(default_factory=threading.Event)
    child: ForkedChild | None = None
    error: str | None = None


class AppZygote:
    """``python -m harness.stacks.zygote`` for one stack: started early, stopped with the apps."""

    def __init__(self, env: Mapping[str, str], log_path: Path, cwd: Path | None, services: Iterable[str],
                 fork_timeout: float = FORK_TIMEOUT_SECONDS) -> None:
        self.env = dict(env)
        self.env[SERVICES_SETTING] = ",".join(services)
        self.log_path = log_path
        self.cwd = cwd
        self.fork_timeout = fork_timeout
        self._popen: subprocess.Popen[bytes] | None = None
        self._lock = threading.Lock()
        self._next_order = 0
        self._waiting: dict[int, _Order] = {}
        # Every child the zygote announced and has not reported ended: the stack's apps, and any
        # fork whose order was given up on (killed as it arrives), so that stop() sees them all.
        self._children: dict[int, ForkedChild] = {}
        self._ended = False
        self._given_up = False  # a fork timed out: each later one would wait as long

    @property
    def pid(self) -> int | None:
        return self._popen.pid if self._popen else None

    @property
    def running(self) -> bool:
        return self._popen is not None and self._popen.poll() is None

    def start(self) -> None:
        if not (sys.platform.startswith("linux") and hasattr(os, "fork")):
            return  # every app is spawned
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        argv, env = dying_with_parent([sys.executable, "-m", "harness.stacks.zygote"], self.env)
        with self.log_path.open("ab") as log_file:
            self._popen = subprocess.Popen(
                argv,
                env=env,
                cwd=self.cwd,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=log_file,
                start_new_session=True,
            )
        threading.Thread(target=self._read_answers, name="zygote-answers", daemon=True).start()
        log.debug("started the app zygote (pid %s)", self._popen.pid)

    def serves(self, argv: Sequence[str], env: Mapping[str, str]) -> bool:
        """Whether this program can be a fork of the zygote: ``python -m MODULE`` by this same
        interpreter, with the settings read at start (``startup_settings``) the zygote started with."""
        return (
            self.running
            and not self._ended
            and not self._given_up
            and len(argv) > 2
            and list(argv[:2]) == [sys.executable, "-m"]
            and startup_settings(env) == startup_settings(self.env)
        )

    def fork(self, argv: Sequence[str], env: Mapping[str, str], cwd: Path | None, log_path: Path) -> ForkedChild | None:
        """Fork ``argv`` (``python -m MODULE ARGS``) with ``env``; None if the zygote cannot."""
        if not self.serves(argv, env):
            return None
        assert self._popen is not None and self._popen.stdin is not None
        order = _Order()
        line = {"argv": list(argv[1:]), "env": dict(env), "cwd": str(cwd) if cwd else None, "log": str(log_path)}
        with self._lock:
            self._next_order += 1
            ident = self._next_order
            self._waiting[ident] = order
            try:
                self._popen.stdin.write(json.dumps({"fork": ident, **line}).encode("utf-8") + b"\n")
                self._popen.stdin.flush()
            except OSError as exc:  # it died since
                self._waiting.pop(ident, None)
                log.warning("the app zygote cannot fork %s (%s): starting it anew", argv[2], exc)
                return None
        try:
            order.answered.wait(self.fork_timeout)
        except BaseException:
            # A Ctrl-C (or the SIGTERM that behave turns into one) while waiting: nobody will
            # track this fork, so it must not run on; a child that comes later is killed then.
            child = self._give_up(ident, order)
            if child is not None:
                _signal_group(child, signal.SIGKILL)
            raise
        child = self._give_up(ident, order)
        if child is not None:
            return child
        if order.error is None:
            with self._lock:
                self._given_up = True
            log.warning("the app zygote did not fork %s within %g s: it is not used any more, apps are "
                        "started anew", argv[2], self.fork_timeout)
        else:
            log.warning("the app zygote did not fork %s (%s): starting it anew", argv[2], order.error)
        return None

    def _give_up(self, ident: int, order: _Order) -> ForkedChild | None:
        """No longer wait for the order: the child handed over by now, if any (else none will be)."""
        with self._lock:
            self._waiting.pop(ident, None)
            return order.child

    def _read_answers(self) -> None:
        assert self._popen is not None and self._popen.stdout is not None
        for line in self._popen.stdout:
            try:
                answer = json.loads(line)
            except ValueError:
                log.warning("the app zygote answered something else: %r", line[:200])
                continue
            if "exited" in answer:
                with self._lock:
                    child = self._children.pop(answer["exited"], None)
                if child is not None:
                    child._ended(int(answer["status"]))
            elif "forked" in answer:
                self._forked(answer)
        # The zygote is gone: its children got SIGTERM (harness/stacks/zygote.py) and nobody
        # reports their statuses now; each is watched in /proc until it has ended.
        with self._lock:
            self._ended = True
            waiting, self._waiting = self._waiting, {}
            children = list(self._children.values())
        for order in waiting.values():
            order.error = "the zygote ended"
            order.answered.set()
        for child in children:
            child._orphan()

    def _forked(self, answer: dict[str, object]) -> None:
        ident, pid = answer["forked"], answer.get("pid")
        # Under the lock, so that an order is either still awaited and gets its child, or was
        # given up on (timed out, interrupted) and its child is killed: never both, never neither.
        with self._lock:
            order = self._waiting.pop(ident, None) if isinstance(ident, int) else None
            if not isinstance(pid, int):
                if order is not None:
                    order.error = str(answer.get("error"))
                    order.answered.set()
                return
            child = ForkedChild(pid, [sys.executable, "-m", "harness.stacks.zygote", str(ident)])
            self._children[pid] = child
            if order is not None:
                order.child = child
                order.answered.set()
                return
        # Its order was given up on: the app was spawned instead. The zygote reaps it.
        log.warning("the app zygote forked order %s after it was given up on: killing it (pid %s)", ident, pid)
        _signal_group(child, signal.SIGKILL)

    def stop(self, timeout: float = 10.0) -> None:
        """The end of its orders ends the zygote, and its children get SIGTERM; any child left
        (an app deaf to SIGTERM, a fork nobody tracks) has its group killed at the deadline."""
        if self._popen is None:
            return
        deadline = time.monotonic() + timeout
        if self._popen.stdin is not None:
            try:
                self._popen.stdin.close()
            except OSError:
                pass
        try:
            self._popen.wait(timeout)
        except subprocess.TimeoutExpired:
            log.warning("the app zygote did not stop within %g s: killing it", timeout)
            self._popen.kill()
            self._popen.wait()
        with self._lock:
            children = list(self._children.values())
        for child in children:  # the parent-death signal reached each leader only: now its group
            _signal_group(child, signal.SIGTERM)
        for child in children:
            try:
                child.wait(max(0.0, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                log.warning("a fork of the app zygote (pid %s) did not stop in time: killing it", child.pid)
                _signal_group(child, signal.SIGKILL)
        for child in children:
            try:
                child.wait(KILLED_WAIT_SECONDS)
            except subprocess.TimeoutExpired:
                log.warning("a fork of the app zygote (pid %s) outlived SIGKILL", child.pid)
