"""Scenarios that need what a stack lacks are skipped with the reason, on the stacks that lack it;
what a stack declares it supports, it really does."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from harness.behave.gates import APP_FAULT_METHODS, skip_reason
from harness.stacks.aws import AwsStack
from harness.stacks.base import Stack
from harness.stacks.compose import ComposeStack
from harness.stacks.embedded import EmbeddedStack

SETTINGS = SimpleNamespace(get=lambda name: None, time_scale=0.1)
EMBEDDED = {"app_faults", "app_resume", "time_scale", "mocked_integrations"}
COMPOSE = {"app_faults", "time_scale", "mocked_integrations"}


def stack_like(cls: type) -> SimpleNamespace:
    return SimpleNamespace(name=cls.name, supports=cls.supports)


# What each stack declares is part of what the suite expects of it: a declaration lost in a
# refactoring would turn its scenarios into skips, so it is named here.
@pytest.mark.parametrize(("cls", "declared"), [(EmbeddedStack, EMBEDDED), (ComposeStack, COMPOSE), (AwsStack, {"app_faults", "app_resume"})])
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
