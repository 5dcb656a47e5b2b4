"""behave hooks: the harness's, for this pipeline (settings, the stack, the report)."""

from pathlib import Path

from harness.behave.hooks import hooks_for

globals().update(hooks_for(Path(__file__).resolve().parent.parent))
