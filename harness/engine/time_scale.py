"""SFN_TIME_SCALE: Wait states, Retry intervals and task timeouts run faster (or slower) for tests.

One float, read from the emulator's environment at install time (default 1.0). Every place where
moto's interpreter *waits* multiplies the wait by it; nothing that the interpreter *reports*
changes, so a ``Wait`` of 10 s with scale 0.01 returns after 0.1 s while the history, the
``TimeoutSeconds``/``HeartbeatSeconds`` in TaskScheduled and the Retry bookkeeping still carry
the values AWS would show.

Patched wait points (moto 5.2.5):
  * ``WaitFunction._wait_interval`` - Wait states (Seconds, SecondsPath, Timestamp, TimestampPath).
  * ``retrier_decl.time`` - the Retry interval sleep, after backoff, MaxDelaySeconds and jitter.
  * ``execute_state.threading.Event`` - a state's TimeoutSeconds.
  * ``callback.Event`` - waitForTaskToken / activity timeouts and HeartbeatSeconds.
  * ``program.threading.Thread`` - the state machine's own TimeoutSeconds.
"""

from __future__ import annotations

import logging
import math
import os
import threading
import time
import types

from moto.stepfunctions.parser.asl.component.common.retry import retrier_decl
from moto.stepfunctions.parser.asl.component.program import program
from moto.stepfunctions.parser.asl.component.state.exec import execute_state
from moto.stepfunctions.parser.asl.component.state.wait.wait_function.wait_function import WaitFunction
from moto.stepfunctions.parser.asl.eval import environment as _environment
from moto.stepfunctions.parser.asl.eval.callback import callback

LOG = logging.getLogger(__name__)

ENV_VAR = "SFN_TIME_SCALE"
_scale: float = 1.0


def read_scale(raw: str | None) -> float:
    """Parse the setting; a bad or non-positive value is refused loudly rather than guessed."""
    if raw is None or raw.strip() == "":
        return 1.0
    try:
        value = float(raw)
    except ValueError:
        raise ValueError(f"{ENV_VAR} must be a number, got {raw[:40]!r}") from None
    # inf would make every wait endless, nan every comparison false.
    if not (math.isfinite(value) and value > 0):
        raise ValueError(f"{ENV_VAR} must be a finite positive number, got {raw[:40]!r}")
    return value


def scale() -> float:
    return _scale


def scaled(seconds: float | None) -> float | None:
    """Seconds the engine really waits for a wait AWS would make last ``seconds``."""
    if seconds is None:
        return None
    return max(0.0, float(seconds) * _scale)


class ScaledEvent(threading.Event):
    """An Event whose timed waits are scaled; untimed waits and set/clear behave as usual."""

    def wait(self, timeout: float | None = None) -> bool:
        return super().wait(scaled(timeout))


class ScaledJoinThread(threading.Thread):
    """A Thread whose timed join is scaled: the program waits on it for the execution timeout."""

    def join(self, timeout: float | None = None) -> None:
        super().join(scaled(timeout))


class ModuleWith(types.SimpleNamespace):
    """A module as one of moto's modules sees it, with a few names replaced: every other name is
    the real module's, so the stand-in stays complete whatever else moto uses from it."""

    def __init__(self, module: types.ModuleType, **replaced: object) -> None:
        super().__init__(**replaced)
        self.__wrapped__ = module

    def __getattr__(self, name: str) -> object:
        return getattr(self.__wrapped__, name)


def _scaled_sleep(seconds: float) -> None:
    time.sleep(scaled(seconds) or 0.0)


def _wait_interval(self: WaitFunction, env: _environment.Environment, wait_seconds: int) -> None:
    # A Wait state ends when its (scaled) time is up or the execution stops; moto's own loop
    # re-enters after unrelated wake-ups by whole seconds, which would undo the scaling.
    deadline = time.monotonic() + (scaled(wait_seconds) or 0.0)
    while env.is_running():
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            return
        env.program_state_event.wait(remaining)


def install() -> None:
    global _scale
    _scale = read_scale(os.environ.get(ENV_VAR))
    if _scale != 1.0:
        LOG.info("Step Functions time scale %s", _scale)
    WaitFunction._wait_interval = _wait_interval  # type: ignore[method-assign]
    retrier_decl.time = ModuleWith(time, sleep=_scaled_sleep)  # type: ignore[assignment]
    execute_state.threading = ModuleWith(threading, Event=ScaledEvent)  # type: ignore[assignment]
    callback.Event = ScaledEvent  # type: ignore[misc]
    program.threading = ModuleWith(threading, Thread=ScaledJoinThread)  # type: ignore[assignment]
