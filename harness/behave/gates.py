"""Scenarios that need something not every run has are skipped with the reason, not failed.

- ``@needs_time_scale``: the engine must scale heartbeats and retries (SFN_TIME_SCALE, in
  ``harness/engine/time_scale.py``); without it (on AWS) a missed heartbeat takes the real 60 s.
- ``@mocked_integrations``: rehearsals with a mock config in place of the apps' work, which the
  emulator offers (as Step Functions Local did) and AWS does not.
- ``@app_faults``: the stack must restart an app with fault settings and show its process and
  log (``restart_app``, ``app_pid``, ``app_output``); the embedded stack does.
- ``@app_control``: the stack must stop, start and watch an app's process. Both need a stack
  that ``controls_apps``: the compose stack inside a container without the Docker socket does not.
- ``@load``: a burst of hundreds of requests; it runs when ``LOAD_TESTS=on`` and ``TIME_SCALE=1``
  (``behave --tags=@load -D LOAD_TESTS=on -D TIME_SCALE=1``), so the everyday run stays quick.
"""

from __future__ import annotations

from harness.settings import Settings
from harness.stacks.base import Stack


def stack_injects_faults(stack: Stack) -> bool:
    overridden = all(
        getattr(type(stack), name) is not getattr(Stack, name) for name in ("restart_app", "app_pid", "app_output")
    )
    return overridden and bool(getattr(stack, "controls_apps", True))


def skip_reason(tags: set[str], settings: Settings, stack: Stack) -> str | None:
    if "app_faults" in tags and not stack_injects_faults(stack):
        return f"the {stack.name} stack cannot restart apps with faults or show their processes here"
    if "app_control" in tags and not getattr(stack, "controls_apps", True):
        return f"the {stack.name} stack cannot stop or watch apps here (no Docker socket: the app-faults profile runs this)"
    if "needs_time_scale" in tags and not stack.engine_scales_time:
        return f"the {stack.name} stack's Step Functions does not scale time: a missed heartbeat would take 60 s"
    if "mocked_integrations" in tags and not stack.mocks_service_integrations:
        return f"the {stack.name} stack's Step Functions has no mocked service integrations (SFN_MOCK_CONFIG)"
    if "load" in tags and (settings.get("LOAD_TESTS") or "").lower() not in ("on", "1", "true", "yes"):
        return "load scenarios run with -D LOAD_TESTS=on -D TIME_SCALE=1"
    if "load" in tags and settings.time_scale < 1:
        # HeartbeatSeconds counts from when the task's message is sent, so time spent waiting in
        # a backed-up queue counts against it: at TIME_SCALE=0.1 (6 s) 170 of 200 timed out.
        return "a burst needs real timings (-D TIME_SCALE=1): queue backlog counts against HeartbeatSeconds"
    return None
