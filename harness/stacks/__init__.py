"""The stacks the suite runs on, behind one interface: ``open_stack(settings)``.

The package imports nothing itself (``open_stack`` and ``Stack`` load on first use, PEP 562): the
emulator's launcher and the apps' launcher are modules of it, they need neither boto3 nor the
pipeline's declaration to start, and in a container every module read at start costs time.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from harness.settings import Settings
    from harness.stacks.base import Stack


def open_stack(settings: Settings) -> Stack:
    """Make (not start) the stack the settings choose."""
    from harness.pipeline import load_pipeline

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


def __getattr__(name: str) -> Any:
    # ``from harness.stacks import Stack`` still works, importing the base only when asked.
    if name == "Stack":
        from harness.stacks.base import Stack

        return Stack
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = ["Stack", "open_stack"]
