"""Waiting until the compose stack's containers are of use, as the embedded stack waits for its
processes: a service that declares a ready line is ready once its current run has written it.

Each such container's output is followed as Docker receives it (one stream per container), so
a line is seen the moment it is written, and nothing is asked of Docker meanwhile: reading every
container's state and log several times a second costs the Docker daemon and this process about
as much CPU as starting the stack's programs, on the machine that is starting them. Docker is
asked again only when a stream ends (its container stopped: crashed, restarting, or a one-shot
job done), and, for a service without a ready line, for its healthcheck's verdict.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any

from harness.waiting import DeadlineExceeded, wait_until

# How often the waiting thread looks at what the streams have seen: no request to Docker.
LOOK_SECONDS = 0.05
# How often Docker is asked about a container no stream follows (restarting, or judged by its
# healthcheck, which changes no more often than its interval).
ASK_SECONDS = 0.5


def docker_time(value: str) -> datetime:
    """A time as Docker writes it (``2024-05-01T10:00:00.123456789Z``, nanoseconds), to the microsecond."""
    return datetime.fromisoformat(value[:26].rstrip("Z") + "+00:00")


def started_at(container: Any) -> datetime:
    return docker_time(container.attrs["State"]["StartedAt"])


class NotReady(RuntimeError):
    """A service stopped with an error, or was not ready by the deadline."""


class ReadyLineWatch:
    """Follows one container's output, from the start of its current run, until a line starts
    with ``ready_line`` (``seen``) or the output ends because the container stopped (``ended``)."""

    def __init__(self, container: Any, ready_line: str) -> None:
        self.seen = threading.Event()
        self.ended = threading.Event()
        self._prefix = ready_line.encode()
        self._stream = container.logs(stream=True, follow=True, since=started_at(container).timestamp())
        self._thread = threading.Thread(target=self._follow, name=f"ready-line-{container.name}", daemon=True)
        self._thread.start()

    def _follow(self) -> None:
        pending = b""
        try:
            for chunk in self._stream:
                pending += chunk
                *lines, pending = pending.split(b"\n")
                if any(line.startswith(self._prefix) for line in lines):
                    self.seen.set()
                    return
        except Exception:  # noqa: BLE001 - a stream closed under it (close()) or cut: the waiter asks Docker
            pass
        finally:
            self.ended.set()

    def close(self) -> None:
        self._stream.close()


def wait_ready(
    containers: Mapping[str, Any],
    ready_line: Callable[[str], str | None],
    *,
    timeout: float,
    tail: Callable[[Any], str],
) -> None:
    """Return once every container is of use; raise ``NotReady`` naming the first that exited
    with an error (with its last lines), or every one not ready by the deadline.

    Of use: its ready line in its current run's output; without one, healthy by its healthcheck,
    or running if it has none; or exited 0 (a one-shot job that finished).
    """
    pending = dict(containers)
    watches: dict[str, ReadyLineWatch] = {}
    next_ask: dict[str, float] = {}

    def look() -> bool:
        for service, container in list(pending.items()):
            watch = watches.get(service)
            if watch is not None and watch.seen.is_set():
                del pending[service]
                continue
            if watch is not None and not watch.ended.is_set():
                continue  # still following its output
            if time.monotonic() < next_ask.get(service, 0.0):
                continue
            next_ask[service] = time.monotonic() + ASK_SECONDS
            container.reload()
            state = container.attrs["State"]
            if state["Status"] == "exited":
                if state["ExitCode"] != 0:
                    raise NotReady(f"{service} exited with {state['ExitCode']}:\n{tail(container)}")
                del pending[service]  # a one-shot job that finished
                continue
            if not state["Running"]:
                continue  # created, or restarting after a crash: look again
            line = ready_line(service)
            if line is None:
                if state.get("Health", {}).get("Status", "healthy") == "healthy":
                    del pending[service]
            else:
                watches[service] = ReadyLineWatch(container, line)  # its current run, from its start
        return not pending

    def describe() -> str:
        return "not ready: " + ", ".join(
            f"{service} ({c.attrs['State'].get('Health', {}).get('Status', c.attrs['State']['Status'])})"
            for service, c in pending.items()
        )

    try:
        wait_until(look, timeout=timeout, awaited="every compose service to be ready", interval=LOOK_SECONDS,
                   describe_last=describe)
    except DeadlineExceeded as exc:
        raise NotReady(str(exc)) from None
    finally:
        for watch in watches.values():
            watch.close()
