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
-m MODULE``, other ``PYTHON*`` settings than the zygote started with, a zygote that died),
``fork`` says so and the process is spawned as before.
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
from pathlib import Path

from harness.stacks.parent_death import die_with_parent
from harness.stacks.zygote import SERVICES_SETTING

log = logging.getLogger(__name__)

# A forked app's status when its zygote died first: its end is seen, its status cannot be (the
# zygote reported statuses; the app was re-parented). As multiprocessing's forkserver does.
UNKNOWN_STATUS = 255
ORPHAN_POLL_SECONDS = 0.02
FORK_TIMEOUT_SECONDS = 60.0  # the zygote may still be loading boto3 when the first order comes


def startup_settings(env: Mapping[str, str]) -> dict[str, str]:
    """What Python reads from the environment as it starts (PYTHONPATH, PYTHONHASHSEED ...)."""
    return {name: value for name, value in env.items() if name.startswith("PYTHON")}


def _gone(pid: int) -> bool:
    """Whether a process that is not our child has ended (gone, or a zombie not yet reaped)."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[-1].split()[0] in ("Z", "X")
    except FileNotFoundError:
        return True


class ForkedChild:
    """A forked app as ``subprocess.Popen`` shows a child: its status comes from the zygote."""

    def __init__(self, pid: int, args: Sequence[str]) -> None:
        self.pid = pid
        self.args = list(args)
        self.returncode: int | None = None
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
        if self.returncode is None and self._orphaned and _gone(self.pid):
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


class AppZygote:
    """``python -m harness.stacks.zygote`` for one stack: started early, stopped with the apps."""

    def __init__(self, env: Mapping[str, str], log_path: Path, cwd: Path | None, services: Iterable[str]) -> None:
        self.env = dict(env)
        self.env[SERVICES_SETTING] = ",".join(services)
        self.log_path = log_path
        self.cwd = cwd
        self._popen: subprocess.Popen[bytes] | None = None
        self._lock = threading.Lock()
        self._next_order = 0
        self._waiting: dict[int, tuple[threading.Event, list[ForkedChild | str]]] = {}
        self._children: dict[int, ForkedChild] = {}
        self._ended = False

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
        with self.log_path.open("ab") as log_file:
            self._popen = subprocess.Popen(
                [sys.executable, "-m", "harness.stacks.zygote"],
                env=self.env,
                cwd=self.cwd,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=log_file,
                start_new_session=True,
                preexec_fn=die_with_parent,
            )
        threading.Thread(target=self._read_answers, name="zygote-answers", daemon=True).start()
        log.debug("started the app zygote (pid %s)", self._popen.pid)

    def serves(self, argv: Sequence[str], env: Mapping[str, str]) -> bool:
        """Whether this program can be a fork of the zygote: ``python -m MODULE`` by this same
        interpreter, with the ``PYTHON*`` settings the zygote started with."""
        return (
            self.running
            and not self._ended
            and len(argv) > 2
            and list(argv[:2]) == [sys.executable, "-m"]
            and startup_settings(env) == startup_settings(self.env)
        )

    def fork(self, argv: Sequence[str], env: Mapping[str, str], cwd: Path | None, log_path: Path) -> ForkedChild | None:
        """Fork ``argv`` (``python -m MODULE ARGS``) with ``env``; None if the zygote cannot."""
        if not self.serves(argv, env):
            return None
        assert self._popen is not None and self._popen.stdin is not None
        answered: tuple[threading.Event, list[ForkedChild | str]] = (threading.Event(), [])
        order = {"argv": list(argv[1:]), "env": dict(env), "cwd": str(cwd) if cwd else None, "log": str(log_path)}
        with self._lock:
            self._next_order += 1
            ident = self._next_order
            self._waiting[ident] = answered
            try:
                self._popen.stdin.write(json.dumps({"fork": ident, **order}).encode("utf-8") + b"\n")
                self._popen.stdin.flush()
            except OSError as exc:  # it died since
                self._waiting.pop(ident, None)
                log.warning("the app zygote cannot fork %s (%s): starting it anew", argv[2], exc)
                return None
        event, result = answered
        if not event.wait(FORK_TIMEOUT_SECONDS) or not isinstance(result[0], ForkedChild):
            with self._lock:
                self._waiting.pop(ident, None)  # a late answer's child is killed on arrival
            reason = result[0] if result else f"no answer within {FORK_TIMEOUT_SECONDS:g} s"
            log.warning("the app zygote did not fork %s (%s): starting it anew", argv[2], reason)
            return None
        return result[0]

    def _read_answers(self) -> None:
        assert self._popen is not None and self._popen.stdout is not None
        for line in self._popen.stdout:
            try:
                answer = json.loads(line)
            except ValueError:
                log.warning("the app zygote answered something else: %r", line[:200])
                continue
            if "exited" in answer:
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
        for event, result in waiting.values():
            result.append("the zygote ended")
            event.set()
        for child in list(self._children.values()):
            child._orphan()

    def _forked(self, answer: dict[str, object]) -> None:
        with self._lock:
            waiting = self._waiting.pop(answer["forked"], None) if isinstance(answer["forked"], int) else None
        pid = answer.get("pid")
        if not isinstance(pid, int):
            if waiting is not None:
                waiting[1].append(str(answer.get("error")))
                waiting[0].set()
            return
        if waiting is None:  # its order was given up on: the app was spawned instead
            try:
                os.killpg(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            return
        child = ForkedChild(pid, [sys.executable, "-m", "harness.stacks.zygote", str(answer["forked"])])
        self._children[pid] = child
        waiting[1].append(child)
        waiting[0].set()

    def stop(self, timeout: float = 10.0) -> None:
        """The end of its orders ends the zygote; any app still running gets SIGTERM then."""
        if self._popen is None:
            return
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
