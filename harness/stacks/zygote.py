"""The app zygote: one Python process that loads boto3 once and forks each app of a stack.

Run as ``python -m harness.stacks.zygote`` (``harness/stacks/forked.py`` starts it, one per
stack). Each app's interpreter used to start and import boto3 on its own: five interpreters
loading the same libraries while the emulator starts, on two cores. The zygote imports boto3
and fills botocore's loader with the models of ``ZYGOTE_SERVICES`` (harness/stacks/warm_models.py)
once; an app is then a fork of it, which costs milliseconds and shares those pages.

Orders come on standard input, one JSON line each:
``{"fork": ID, "argv": ["-m", MODULE, ARGS...], "env": {...}, "cwd": PATH, "log": PATH}``.
The zygote forks; the child starts its own session, asks for SIGTERM when the zygote dies, puts
its environment, folder and log file (standard output and error, appended) in place, and runs
the module as ``python -m`` would; it exits as that interpreter would (status, atexit, threads).
The zygote answers on standard output, one JSON line each: ``{"forked": ID, "pid": PID}`` once
the child has its own session (so its group can be signalled), or ``{"forked": ID, "error":
TEXT}`` where it could not (a bad order, or no fork: too many open files, no more processes),
and goes on serving; and ``{"exited": PID, "status": STATUS}`` when a child ends (``subprocess``'s
``returncode``: the exit status, or minus the signal that ended it). The end of its input ends
the zygote; its children then get SIGTERM, as they do if it is killed.

Only libraries are loaded ahead, never an app's modules: they may read their settings when
imported, and the settings come with the order.
"""

from __future__ import annotations

import json
import os
import runpy
import selectors
import signal
import sys
import traceback
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, BinaryIO

from harness.stacks.parent_death import die_with, die_with_given_parent

# What is loaded ahead: libraries only.
AHEAD = ("boto3", "botocore.client")
SERVICES_SETTING = "ZYGOTE_SERVICES"  # comma-separated: the services whose models are warmed


@dataclass(frozen=True)
class Order:
    ident: int
    module: str
    args: list[str]
    env: dict[str, str]
    cwd: str | None
    log: str


def read_order(line: str) -> Order:
    """One order line, checked: a module to run, its environment, a log file."""
    order: Any = json.loads(line)
    argv, env = order.get("argv"), order.get("env")
    if not (isinstance(argv, list) and len(argv) >= 2 and argv[0] == "-m" and all(isinstance(a, str) for a in argv)):
        raise ValueError(f"an order wants argv ['-m', MODULE, ARGS...], got {str(argv)[:200]}")
    if not (isinstance(env, dict) and all(isinstance(k, str) and isinstance(v, str) for k, v in env.items())):
        raise ValueError("an order wants env, a map of names to strings")
    if not isinstance(order.get("log"), str) or not isinstance(order.get("fork"), int):
        raise ValueError("an order wants its id (fork) and a log file (log)")
    return Order(order["fork"], argv[1], argv[2:], env, order.get("cwd"), order["log"])


class Zygote:
    """The serving loop: orders in, forks and exit statuses out; returns only in a child."""

    def __init__(self, orders: int, answers: BinaryIO) -> None:
        self.orders = orders
        self.answers = answers
        self.children: set[int] = set()
        self.pid = os.getpid()
        # SIGCHLD wakes the loop through this pipe: one thread, nothing else to lock around fork.
        self.wake_r, self.wake_w = os.pipe()
        os.set_blocking(self.wake_r, False)
        os.set_blocking(self.wake_w, False)
        signal.signal(signal.SIGCHLD, lambda *_: None)
        signal.set_wakeup_fd(self.wake_w)

    def _answer(self, **answer: object) -> None:
        self.answers.write(json.dumps(answer).encode("utf-8") + b"\n")
        self.answers.flush()

    def serve(self) -> Order | None:
        """Serve until the end of the orders (None), or return the order of the child this is."""
        selector = selectors.DefaultSelector()
        selector.register(self.orders, selectors.EVENT_READ)
        selector.register(self.wake_r, selectors.EVENT_READ)
        pending = b""
        try:
            while True:
                for key, _ in selector.select():
                    if key.fd == self.wake_r:
                        self._reap()
                        continue
                    # Read as it comes, not through a buffered reader: select would not see
                    # lines a buffer had already taken in.
                    chunk = os.read(self.orders, 65536)
                    if not chunk:
                        return None
                    pending += chunk
                    while b"\n" in pending:
                        line, pending = pending.split(b"\n", 1)
                        order = self._fork(line.decode("utf-8", errors="replace"))
                        if order is not None:
                            return order
        finally:
            selector.close()

    def _fork(self, line: str) -> Order | None:
        try:
            order = read_order(line)
        except (ValueError, AttributeError) as exc:
            ident = _ident(line)
            self._answer(forked=ident, error=str(exc))
            return None
        sys.stdout.flush()
        sys.stderr.flush()
        try:
            pid, settled_end = self._fork_child()
        except OSError as exc:
            # Too many open files, no more processes, no memory: this one app is spawned
            # instead, and the apps already forked must not end with the zygote.
            self._answer(forked=order.ident, error=f"cannot fork: {exc}")
            return None
        if pid == 0:
            try:
                self._become_child(order, settled_end)
            except BaseException:  # noqa: BLE001 - never back into the zygote's loop
                traceback.print_exc()
                os._exit(1)
            return order
        self.children.add(pid)
        # The child closes its end once it leads its own session: only then is its pid a group.
        with os.fdopen(settled_end, "rb") as settled:
            settled.read()
        self._answer(forked=order.ident, pid=pid)
        return None

    @staticmethod
    def _fork_child() -> tuple[int, int]:
        """fork(), with a pipe the child closes once it leads its own session: (0, write end) in
        the child, (pid, read end) in the zygote; OSError, with nothing left open, if it cannot."""
        settled_r, settled_w = os.pipe()
        try:
            pid = os.fork()
        except OSError:
            os.close(settled_r)
            os.close(settled_w)
            raise
        if pid == 0:
            os.close(settled_r)
            return 0, settled_w
        os.close(settled_w)
        return pid, settled_r

    def _reap(self) -> None:
        try:
            while os.read(self.wake_r, 512):
                pass
        except BlockingIOError:
            pass
        for pid, status in _ended_children():
            self.children.discard(pid)
            self._answer(exited=pid, status=os.waitstatus_to_exitcode(status))

    def _become_child(self, order: Order, settled_w: int) -> None:
        """In the forked child: leave the zygote's loop and take on the app's process."""
        signal.set_wakeup_fd(-1)
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        for fd in (self.wake_r, self.wake_w):
            os.close(fd)
        os.setsid()
        # SIGTERM when the zygote dies, as every process of the stack gets when its parent does.
        die_with(self.pid)
        os.close(settled_w)
        # The zygote's pipes are not the app's: input from nothing, output to its own log.
        log_fd = os.open(order.log, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
        nothing = os.open(os.devnull, os.O_RDONLY)
        os.dup2(nothing, 0)
        os.dup2(log_fd, 1)
        os.dup2(log_fd, 2)
        for fd in (log_fd, nothing):
            os.close(fd)
        os.close(self.orders)
        self.answers.close()


def _ident(line: str) -> int | None:
    try:
        ident = json.loads(line).get("fork")
    except (ValueError, AttributeError):
        return None
    return ident if isinstance(ident, int) else None


def _ended_children() -> Iterator[tuple[int, int]]:
    while True:
        try:
            pid, status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return
        yield pid, status


def run_app(order: Order, loader: Any) -> None:
    """Run the order's module as ``python -m MODULE ARGS`` would, in its environment and folder."""
    os.environ.clear()
    os.environ.update(order.env)
    if order.cwd:
        os.chdir(order.cwd)
    sys.path[0] = os.getcwd()  # what -m puts first
    sys.argv = [order.module, *order.args]  # run_module puts the module's path in sys.argv[0], as -m does
    if loader is not None:
        from harness.stacks.warm_models import give_to_default_session

        give_to_default_session(loader)
    runpy.run_module(order.module, run_name="__main__", alter_sys=True)


def main() -> int:
    die_with_given_parent()
    for module in AHEAD:
        __import__(module)
    from harness.stacks.warm_models import filled_loader

    services = [name for name in os.environ.get(SERVICES_SETTING, "").split(",") if name]
    loader = filled_loader(services) if services else None
    # Orders and answers go through the zygote's own copies of its standard input and output;
    # fd 0 then reads nothing and fd 1 writes to its log (stderr), so no library can read an
    # order or print into the answers, and a child's sys.stdin holds no order read ahead.
    orders, answers = os.dup(0), os.fdopen(os.dup(1), "wb")
    nothing = os.open(os.devnull, os.O_RDONLY)
    os.dup2(nothing, 0)
    os.close(nothing)
    os.dup2(2, 1)
    order = Zygote(orders, answers).serve()
    if order is None:
        return 0
    run_app(order, loader)
    return 0


if __name__ == "__main__":
    sys.exit(main())
