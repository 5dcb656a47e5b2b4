"""The stacks the suite runs on, behind one interface: ``open_stack(settings)``."""

from __future__ import annotations

from harness.pipeline import load_pipeline
from harness.settings import Settings
from harness.stacks.base import Stack


def open_stack(settings: Settings) -> Stack:
    """Make (not start) the stack the settings choose."""
    pipeline = load_pipeline(settings.pipeline_file)
    if settings.stack == "embedded":
        from harness.stacks.embedded import EmbeddedStack

        return EmbeddedStack(settings, pipeline)
    if settings.stack == "compose":
        from harness.stacks.compose import ComposeStack

        return ComposeStack(settings, pipeline)
    if settings.stack == "aws":
        from harness.stacks.aws import AwsStack

        return AwsStack(settings, pipeline)
    raise ValueError(f"unknown stack {settings.stack!r}")


__all__ = ["Stack", "open_stack"]
