"""behave hooks: thin, the harness does the work.

Settings come from the environment, `.env` and `-D key=value` (see README). The stack starts
once for the whole run and is always stopped, also after a failure or a Ctrl-C.
"""

from __future__ import annotations

import sys
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent
# Step modules import shared helpers as `steps.<module>`; behave does not put the project on the path.
if str(PROJECT_DIR) not in sys.path:
    sys.path.insert(0, str(PROJECT_DIR))

from harness.behave import hooks  # noqa: E402
from steps import pipeline_context  # noqa: E402


def before_all(context):
    hooks.before_all(context, PROJECT_DIR)


def before_feature(context, feature):
    hooks.before_feature(context, feature)


def before_scenario(context, scenario):
    hooks.before_scenario(context, scenario)
    pipeline_context.register_report_callbacks(context)


def after_scenario(context, scenario):
    hooks.after_scenario(context, scenario)


def after_all(context):
    hooks.after_all(context)
