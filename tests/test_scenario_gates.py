"""Scenarios that need what a stack lacks are skipped with the reason, on the stacks that lack it."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from harness.behave.gates import skip_reason
from harness.stacks.aws import AwsStack
from harness.stacks.compose import ComposeStack
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
