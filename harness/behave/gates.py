"""Scenarios that need something not every run has are skipped with the reason, not failed.

Each stack declares what it supports (``Stack.supports``); a scenario tagged for something its
stack does not declare is skipped with the reason, and the run counts it as a declared skip
(``harness/behave/run_tally.py``). A stack that declares a capability but cannot deliver it
fails the scenario: nothing turns into a silent skip.

- ``@needs_time_scale``: the engine must scale heartbeats and retries (SFN_TIME_SCALE, in
  ``harness/engine/time_scale.py``); without it (on AWS) a missed heartbeat takes the real 60 s.
- ``@mocked_integrations``: rehearsals with a mock config in place of the apps' work, which the
  emulator offers (as Step Functions Local did) and AWS does not.
- ``@app_faults``: the stack must restart an app with fault settings and show its process and
  log (``restart_app``, ``app_pid``, ``app_output``).
- ``@app_control``: the stack must stop, start and watch an app's process.
- ``@app_resume``: the stack must let a frozen app go on (``resume_app``): local processes can.
  The three app capabilities also need a stack that ``controls_apps`` here: the compose stack
  inside a container without the Docker socket does not.
- ``@load``: a burst of many requests; it runs when ``LOAD_TESTS=on`` and ``TIME_SCALE=1``
  (``behave --tags=@load -D LOAD_TESTS=on -D TIME_SCALE=1``), so the everyday run stays quick.
"""

from __future__ import annotations

from typing import Any

from harness.settings import Settings

# Tag -> (the capability a stack must declare, why a stack without it skips the scenario).
NEEDS = {
    "app_faults": ("app_faults", "cannot restart apps with faults or show their processes"),
    "app_control": ("app_control", "cannot stop or watch apps"),
    "app_resume": ("app_resume", "cannot let a frozen app go on"),
    "needs_time_scale": (
        "time_scale", "has a Step Functions that does not scale time: a missed heartbeat would take 60 s"
    ),
    "mocked_integrations": (
        "mocked_integrations", "has a Step Functions with no mocked service integrations (SFN_MOCK_CONFIG)"
    ),
}
APP_CAPABILITIES = frozenset({"app_faults", "app_control", "app_resume"})
# The methods a stack that declares "app_faults" must override (tests/test_scenario_gates.py).
APP_FAULT_METHODS = ("restart_app", "app_pid", "app_output")


def supported(stack: Any) -> frozenset[str]:
    """What the stack declares, less what needs its apps where it cannot reach them."""
    if getattr(stack, "controls_apps", True):
        return frozenset(stack.supports)
    return frozenset(stack.supports) - APP_CAPABILITIES


def skip_reason(tags: set[str], settings: Settings, stack: Any) -> str | None:
    capabilities = supported(stack)
    for tag, (capability, lacking) in NEEDS.items():
        if tag in tags and capability not in capabilities:
            if capability in stack.supports:  # declared, but not reachable from here
                return f"the {stack.name} stack {lacking} here (no Docker socket: the app-faults profile runs this)"
            return f"the {stack.name} stack {lacking} (it does not declare {capability!r})"
    if "load" in tags and (settings.get("LOAD_TESTS") or "").lower() not in ("on", "1", "true", "yes"):
        return "load scenarios run with -D LOAD_TESTS=on -D TIME_SCALE=1"
    if "load" in tags and settings.time_scale < 1:
        # HeartbeatSeconds counts from when the task's message is sent, so time spent waiting in
        # a backed-up queue counts against it: at TIME_SCALE=0.1 (6 s) 170 of 200 timed out.
        return "a burst needs real timings (-D TIME_SCALE=1): queue backlog counts against HeartbeatSeconds"
    return None
