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
EMULATED = {"app_faults", "time_scale", "mocked_integrations"}


def stack_like(cls: type) -> SimpleNamespace:
    return SimpleNamespace(name=cls.name, supports=cls.supports)


# What each stack declares is part of what the suite expects of it: a declaration lost in a
# refactoring would turn its scenarios into skips, so it is named here.
@pytest.mark.parametrize(("cls", "declared"), [(EmbeddedStack, EMULATED), (ComposeStack, EMULATED), (AwsStack, {"app_faults"})])
def test_each_stack_declares_what_it_supports(cls: type, declared: set[str]) -> None:
    assert cls.supports == declared


@pytest.mark.parametrize("cls", [EmbeddedStack, ComposeStack, AwsStack])
def test_a_stack_that_declares_app_faults_overrides_what_they_need(cls: type) -> None:
    assert "app_faults" in cls.supports
    inherited = [name for name in APP_FAULT_METHODS if getattr(cls, name) is getattr(Stack, name)]
    assert inherited == []


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
