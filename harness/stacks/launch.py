"""What each declared process is given, the same on every stack: its command line and environment.

An app gets the run's settings (secrets removed), the AWS target, the names of the planned
resources, the endpoints of the helper services, the declared settings and the declared timings
scaled once by ``TIME_SCALE``; never a secret's value (an app reads its secrets from Secrets Manager,
and only a helper service is given values, by its ``secret_env``). See docs/app-contract.md.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping

from harness.pipeline import Pipeline, ProcessSpec
from harness.settings import Settings


def scaled_timings(settings: Settings, pipeline: Pipeline, spec: ProcessSpec) -> dict[str, str]:
    """The declared durations (real seconds; a setting of the same name replaces one), times TIME_SCALE."""
    timings = {**pipeline.app_timings, **spec.timings}
    scaled = {}
    for name, declared in timings.items():
        # A setting replaces the declared value only if it is a finite number above 0 (named if not).
        seconds = settings.seconds(name, str(declared))
        scaled[name] = f"{settings.scaled(seconds):g}"
    return scaled


def without_secrets(settings: Settings, pipeline: Pipeline) -> dict[str, str]:
    """Every setting, from .env and userdata too, so a process sees what the run was given;
    secrets reach a process only where the declaration says it needs them."""
    env = dict(settings.values)
    for secret in pipeline.secrets:
        env.pop(secret.value_from, None)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(settings.project_dir), env.get("PYTHONPATH", "")) if p)
    return env


def app_env(
    settings: Settings,
    pipeline: Pipeline,
    spec: ProcessSpec,
    base: Mapping[str, str],
    service_endpoints: Mapping[str, str],
) -> dict[str, str]:
    """``base`` (settings, AWS target, resource names) plus what this app is declared to get."""
    env = dict(base)
    env["PYTHONUNBUFFERED"] = "1"
    for service in pipeline.services:
        if service.endpoint_setting and service.name in service_endpoints:
            env[service.endpoint_setting] = service_endpoints[service.name]
    for name, value in {**pipeline.app_settings, **spec.settings}.items():
        env[name] = settings.get(name) or value
    env.update(scaled_timings(settings, pipeline, spec))
    env["APP_NAME"] = spec.name
    return env


def service_argv(spec: ProcessSpec, host: str, port: int) -> list[str]:
    """A helper service is started with the address to listen on (port 0: any free port)."""
    return [sys.executable, "-m", spec.module, *spec.args, "--host", host, "--port", str(port)]


def app_argv(spec: ProcessSpec) -> list[str]:
    return [sys.executable, "-m", spec.module, *spec.args]
