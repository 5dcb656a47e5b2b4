"""The harness's behave hooks, for this pipeline: settings, the stack, the report."""

from pathlib import Path

from harness.behave import hooks

PROJECT_DIR = Path(__file__).resolve().parent.parent


def before_all(context):
    hooks.before_all(context, PROJECT_DIR)


def before_feature(context, feature):
    hooks.before_feature(context, feature)


def before_scenario(context, scenario):
    hooks.before_scenario(context, scenario)


def after_scenario(context, scenario):
    hooks.after_scenario(context, scenario)


def after_all(context):
    hooks.after_all(context)
