"""Local processes that the stack starts, watches and always stops.

Each process gets its own session (so a Ctrl-C at the terminal reaches only the test runner,
which then stops them in order) and SIGTERM from the kernel if its parent dies, so nothing
outlives a runner that was killed outright (harness/stacks/parent_death.py: why no Python code
runs between fork and exec). Output goes to a log file per process.
A process given the stack's app zygote is a fork of it where it can be (harness/stacks/forked.py),
else spawned; either way it is watched, signalled and stopped the same way.
"""

from __future__ import annotations

import logging
import os
import signal
import socket
import subprocess
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path

from harness.redaction import redact
from harness.stacks.answering import INTERVAL_SECONDS, answers
from harness.stacks.forked import KILLED_WAIT_SECONDS, AppZygote, ForkedChild
from harness.stacks.parent_death import dying_with_parent
from harness.waiting import DeadlineExceeded, wait_until

log = logging.getLogger(__name__)

READY_PREFIX = "READY "


class ProcessFailed(RuntimeError):
    """A managed process exited, or never became ready."""


class ManagedProcess:
    def __init__(
        self,
        name: str,
        argv: Sequence[str],
        *,
        env: Mapping[str, str],
        log_path: Path,
        cwd: Path | None = None,
        zygote: AppZygote | None = None,
    ) -> None:
        self.name = name
        self.argv = list(argv)
        self.env = dict(env)
        self.log_path = log_path
        self.cwd = cwd
        self.zygote = zygote
        self._popen: subprocess.Popen[bytes] | ForkedChild | None = None
        self._log_offset = 0
        self._terminated = False

    @property
    def pid(self) -> int | None:
        return self._popen.pid if self._popen else None

    @property
    def running(self) -> bool:
        return self._popen is not None and self._popen.poll() is None

    def start(self) -> None:
        """Run ``argv`` with ``env``: forked from the zygote if it can, else spawned."""
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        if self.zygote is not None and self.zygote.serves(self.argv, self.env):
            offset = self._log_size()
            forked = self.zygote.fork(self.argv, self.env, self.cwd, self.log_path)
            if forked is not None:
                self._log_offset, self._terminated, self._popen = offset, False, forked
                log.debug("forked %s (pid %s)", self.name, forked.pid)
                return
        self._spawn(self.argv, self.env)

    def _log_size(self) -> int:
        try:
            return self.log_path.stat().st_size
        except FileNotFoundError:
            return 0

    def _spawn(self, argv: Sequence[str], env: Mapping[str, str]) -> None:
        with self.log_path.open("ab") as log_file:
            # Later reads look only at this run's output, not at an earlier run's.
            self._log_offset = log_file.tell()
            self._terminated = False
            guarded_argv, guarded_env = dying_with_parent(argv, env)
            self._popen = subprocess.Popen(
                guarded_argv,
                env=guarded_env,
                cwd=self.cwd,
                stdin=subprocess.DEVNULL,
                stdout=log_file,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        log.debug("started %s (pid %s)", self.name, self._popen.pid)

    def wait_ready(self, timeout: float, ready_line: str = READY_PREFIX.strip()) -> str:
        """Wait for the process's ``READY <endpoint>`` line (or another declared prefix) and
        return what follows it on the line: the endpoint, for a server."""

        def ready_endpoint() -> str | None:
            for line in self.output().splitlines():
                if line.split(" ", 1)[0] == ready_line:
                    return line[len(ready_line):].strip()
            if not self.running:
                raise ProcessFailed(
                    f"{self.name} exited with status {self.returncode} before it was ready; "
                    f"last output:\n{self.tail()}"
                )
            return None

        try:
            return wait_until(
                ready_endpoint, timeout=timeout, awaited=f"{self.name} to print {ready_line!r}"
            )
        except DeadlineExceeded as exc:
            raise ProcessFailed(f"{exc}; last output:\n{self.tail()}") from None

    def check_running(self) -> None:
        """For a process with no readiness signal: it must at least not have exited."""
        if not self.running:
            raise ProcessFailed(f"{self.name} exited with status {self.returncode}; last output:\n{self.tail()}")

    @property
    def returncode(self) -> int | None:
        return self._popen.poll() if self._popen else None

    def wait_exit(self) -> int | None:
        """Block until the process has exited, for a watcher that acts when it does; its status."""
        return self._popen.wait() if self._popen else None

    def output(self) -> str:
        try:
            with self.log_path.open("rb") as log_file:
                log_file.seek(self._log_offset)
                return log_file.read().decode("utf-8", errors="replace")
        except FileNotFoundError:
            return ""

    def tail(self, lines: int = 20) -> str:
        return redact("\n".join(self.output().splitlines()[-lines:]))

    def _signal_group(self, signum: int) -> None:
        assert self._popen is not None
        try:
            os.killpg(self._popen.pid, signum)
        except ProcessLookupError:
            pass

    def resume(self) -> None:
        """Let a process that stopped itself (SIGSTOP, a frozen app) go on where it stopped."""
        if self._popen is not None:
            self._signal_group(signal.SIGCONT)

    def terminate(self) -> None:
        """Send SIGTERM and return at once; ``stop`` then waits."""
        if self.running and not self._terminated:
            # Once only: a second SIGTERM could land while Python is already shutting down,
            # after it has put back the default handler, and kill the app mid-cleanup.
            self._terminated = True
            self._signal_group(signal.SIGTERM)

    def stop(self, timeout: float = 10.0) -> None:
        """SIGTERM, so an app finishes its current task; SIGKILL if it does not end in time."""
        if self._popen is None:
            return
        if self._popen.poll() is None:
            self.terminate()
            try:
                self._popen.wait(timeout)
            except subprocess.TimeoutExpired:
                log.warning("%s did not stop within %g s: killing it", self.name, timeout)
                self._signal_group(signal.SIGKILL)
                self._wait_killed()
        else:
            # The leader is gone; make sure no child it left in its group lingers.
            self._signal_group(signal.SIGKILL)
        log.debug("stopped %s (status %s)", self.name, self._popen.returncode)

    def kill(self) -> None:
        """SIGKILL at once: a crash, as a fault scenario wants it."""
        if self._popen is not None and self._popen.poll() is None:
            self._signal_group(signal.SIGKILL)
            self._wait_killed()

    def _wait_killed(self) -> None:
        """After SIGKILL: its end, with a deadline all the same. A forked app whose zygote died is
        not ours to reap; were its pid another's, not in its group, the wait would never end."""
        assert self._popen is not None
        try:
            self._popen.wait(KILLED_WAIT_SECONDS)
        except subprocess.TimeoutExpired:
            log.warning("%s (pid %s) was still seen running %g s after SIGKILL", self.name, self._popen.pid,
                        KILLED_WAIT_SECONDS)


def free_port() -> int:
    """A loopback port free right now, for a program that cannot take port 0 and say which it got."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_http(process: ManagedProcess, url: str, timeout: float) -> None:
    """Wait until ``url`` answers at all (any HTTP status: the server is up), or the process exits."""

    def up() -> bool:
        process.check_running()
        return answers(url)

    try:
        wait_until(up, timeout=timeout, awaited=f"{process.name} to answer at {url}", interval=INTERVAL_SECONDS)
    except DeadlineExceeded as exc:
        raise ProcessFailed(f"{exc}; last output:\n{process.tail()}") from None
