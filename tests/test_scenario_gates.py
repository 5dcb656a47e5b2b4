"""Scenarios that need what a stack lacks are skipped with the reason, on the stacks that lack it."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest

from harness.behave.gates import skip_reason
from harness.stacks.aws import AwsStack
from harness.pipeline import load_pipeline
from harness.settings import load_settings
from harness.stacks.compose import ComposeError, ComposeStack
from harness.stacks.embedded import EmbeddedStack


def stack_like(cls: type) -> SimpleNamespace:
    return SimpleNamespace(name=cls.name, engine_scales_time=cls.engine_scales_time,
                           mocks_service_integrations=cls.mocks_service_integrations)


@pytest.mark.parametrize("cls", [EmbeddedStack, ComposeStack])
def test_the_emulator_stacks_run_time_scaled_and_mocked_scenarios(cls: type) -> None:
    assert skip_reason({"needs_time_scale", "mocked_integrations"}, SimpleNamespace(), stack_like(cls)) is None


def test_the_aws_stack_skips_them_and_says_why() -> None:
    aws = stack_like(AwsStack)
    assert "does not scale time" in skip_reason({"needs_time_scale"}, SimpleNamespace(), aws)
    assert "no mocked service integrations" in skip_reason({"mocked_integrations"}, SimpleNamespace(), aws)


PROJECT = Path(__file__).resolve().parent.parent


def compose_inside_without_socket(monkeypatch: pytest.MonkeyPatch, **extra: str) -> ComposeStack:
    # A Docker host that does not exist: what a container without the socket sees.
    monkeypatch.setenv("DOCKER_HOST", "unix:///nonexistent/docker.sock")
    settings = load_settings(PROJECT, userdata={"stack": "compose", "compose_attached": "1", **extra}, environ={})
    return ComposeStack(settings, load_pipeline(settings.pipeline_file))


def test_inside_the_compose_stack_without_the_docker_socket_app_scenarios_are_skipped_with_the_reason(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    stack = compose_inside_without_socket(monkeypatch)
    assert not stack.controls_apps
    assert "cannot restart apps" in skip_reason({"app_faults"}, SimpleNamespace(), stack)
    assert "no Docker socket" in skip_reason({"app_control"}, SimpleNamespace(), stack)
    assert "docker compose logs ingest" in stack.app_log_tail("ingest")


def test_a_run_that_requires_app_control_without_the_socket_stops(monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(ComposeError, match="cannot reach the Docker engine"):
        compose_inside_without_socket(monkeypatch, compose_app_control="required")


def test_the_embedded_stack_controls_its_apps() -> None:
    assert skip_reason({"app_faults", "app_control"}, SimpleNamespace(), EmbeddedStack.__new__(EmbeddedStack)) is None


# What a step does when it stops, starts, crashes or watches an app's process or container.
APP_CONTROL_CALLS = ("stop_app(", "start_app(", "kill_app(", "restart_app(", "app_pid(", "app_output(")


def _step_registry():  # type: ignore[no-untyped-def]
    """behave's registry with every step of the suite in it (importing a step module registers it)."""
    import importlib

    from behave import step_registry

    for module in sorted((PROJECT / "steps").glob("*.py")):
        importlib.import_module(f"steps.{module.stem}")
    return step_registry.registry


def test_every_scenario_that_controls_an_app_says_so_so_a_stack_without_control_skips_it() -> None:
    import inspect

    from behave.parser import parse_file

    registry = _step_registry()
    untagged = []
    for feature_file in sorted((PROJECT / "features").glob("*.feature")):
        for scenario in parse_file(str(feature_file)).walk_scenarios():
            if scenario.effective_tags & {"app_faults", "app_control"}:
                continue
            for step in scenario.steps:
                match = registry.find_match(step)
                assert match is not None, f"no step definition for {step.keyword} {step.name}"
                source = inspect.getsource(match.func) if match else ""
                if any(call in source for call in APP_CONTROL_CALLS):
                    untagged.append(f"{feature_file.name}: {scenario.name!r} ({step.name})")
    assert not untagged, "scenarios that control an app without @app_faults or @app_control: " + "; ".join(untagged)
