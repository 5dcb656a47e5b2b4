"""A callback answered before its task set up its heartbeat clock ends the task at once.

AWS ends a ``.waitForTaskToken`` task when SendTaskSuccess or SendTaskFailure comes with its
token, whenever after the token was issued. moto 5.2.5 sends the task's message first and only
then sets up the heartbeat clock (``CallbackEndpoint.setup_heartbeat_endpoint``), a new event,
unset; its wait for a task with HeartbeatSeconds reads the answer only when that event is set.
An answer that came in between (a worker quick to answer, a fast lookup of its token) was stored
and never read: the task waited out HeartbeatSeconds, failed with States.HeartbeatTimeout and was
retried, though it had been answered.

Here the clock, once set up, is set at once when an answer is already there. The answer's own
``notify`` sets the outcome, then sets the clock if it finds one; this sets the clock up, then
looks at the outcome: whichever comes second sees the other's work.
"""

from __future__ import annotations

from moto.stepfunctions.parser.asl.eval.callback.callback import CallbackEndpoint, HeartbeatEndpoint

_moto_setup = CallbackEndpoint.setup_heartbeat_endpoint


def setup_heartbeat_endpoint(self: CallbackEndpoint, heartbeat_seconds: int) -> HeartbeatEndpoint:
    clock = _moto_setup(self, heartbeat_seconds)
    if self.get_outcome() is not None:
        clock.notify()
    return clock


def install() -> None:
    CallbackEndpoint.setup_heartbeat_endpoint = setup_heartbeat_endpoint  # type: ignore[method-assign]
