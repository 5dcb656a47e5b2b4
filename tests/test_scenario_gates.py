"""Scenarios that need what a stack lacks are skipped with the reason, on the stacks that lack it;
what a stack declares it supports, it really does."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest

from harness.behave.gates import APP_FAULT_METHODS, skip_reason
from harness.stacks.aws import AwsStack
from harness.stacks.base import Stack
from harness.pipeline import load_pipeline
from harness.settings import load_settings
from harness.stacks.compose import ComposeError, ComposeStack
from harness.stacks.embedded import EmbeddedStack

SETTINGS = SimpleNamespace(get=lambda name: None, time_scale=0.1)
EMBEDDED = {"app_faults", "app_control", "app_resume", "time_scale", "mocked_integrations"}
COMPOSE = {"app_faults", "app_control", "time_scale", "mocked_integrations"}


def stack_like(cls: type) -> SimpleNamespace:
    return SimpleNamespace(name=cls.name, supports=cls.supports)


# What each stack declares is part of what the suite expects of it: a declaration lost in a
# refactoring would turn its scenarios into skips, so it is named here.
@pytest.mark.parametrize(("cls", "declared"), [(EmbeddedStack, EMBEDDED), (ComposeStack, COMPOSE), (AwsStack, {"app_faults", "app_control", "app_resume"})])
def test_each_stack_declares_what_it_supports(cls: type, declared: set[str]) -> None:
    assert cls.supports == declared


@pytest.mark.parametrize("cls", [EmbeddedStack, ComposeStack, AwsStack])
def test_a_stack_that_declares_app_faults_overrides_what_they_need(cls: type) -> None:
    assert "app_faults" in cls.supports
    inherited = [name for name in APP_FAULT_METHODS if getattr(cls, name) is getattr(Stack, name)]
    assert inherited == []


@pytest.mark.parametrize("cls", [EmbeddedStack, AwsStack])
def test_a_stack_that_declares_app_resume_overrides_resume_app(cls: type) -> None:
    assert "app_resume" in cls.supports
    assert cls.resume_app is not Stack.resume_app


def test_the_compose_stack_skips_what_needs_a_frozen_app_resumed() -> None:
    assert "cannot let a frozen app go on" in skip_reason({"app_resume"}, SETTINGS, stack_like(ComposeStack))


@pytest.mark.parametrize("cls", [EmbeddedStack, ComposeStack])
def test_the_emulator_stacks_run_every_gated_scenario(cls: type) -> None:
    assert skip_reason({"needs_time_scale", "mocked_integrations", "app_faults"}, SETTINGS, stack_like(cls)) is None


def test_the_aws_stack_skips_them_and_says_why() -> None:
    aws = stack_like(AwsStack)
    assert "does not scale time" in skip_reason({"needs_time_scale"}, SETTINGS, aws)
    assert "no mocked service integrations" in skip_reason({"mocked_integrations"}, SETTINGS, aws)
    assert skip_reason({"app_faults"}, SETTINGS, aws) is None


def test_a_stack_that_declares_nothing_skips_fault_scenarios_by_its_declaration() -> None:
    bare = SimpleNamespace(name="bare", supports=frozenset())
    assert "does not declare 'app_faults'" in skip_reason({"app_faults"}, SETTINGS, bare)


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
