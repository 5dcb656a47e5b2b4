"""Which scenarios a behave command line selects, found the way behave finds them.

A run split across processes deals out the scenarios behave itself would run for the same
options: the paths given (files, folders, ``file:line``), else the configured ones; the tags
given, else the configured default tags; names (``-n``), include and exclude patterns. Each
process is then given the same options less the paths, plus the locations dealt to it: paths
and locations together would make behave run both.
"""

from __future__ import annotations

import argparse
import os
from dataclasses import dataclass
from pathlib import Path

from behave.configuration import Configuration, setup_parser
from behave.runner_util import collect_feature_locations, parse_features

from harness.behave.run_folder import partial_reasons


@dataclass(frozen=True)
class Selection:
    locations: list[str]  # ``file:line`` of each scenario to run, an outline's examples by their rows, in behave's order
    options: list[str]  # the command line without its paths
    partial: list[str]  # what narrows the run to part of the suite, in words; empty for a whole run
    # Every scenario of the feature files the paths name, selected or not: what behave's summary
    # counts, those that did not run as skipped.
    in_paths: int = 0


def _takes_value(action: argparse.Action) -> bool:
    return action.nargs is None or action.nargs == "?" or (isinstance(action.nargs, int) and action.nargs > 0)


def without_paths(args: list[str]) -> list[str]:
    """The command line's options, each with its value, and none of its positional paths."""
    by_flag = {flag: action for action in setup_parser()._actions for flag in action.option_strings}
    kept: list[str] = []
    index = 0
    while index < len(args):
        arg = args[index]
        index += 1
        if arg == "--":
            break  # everything after it is a path
        if not arg.startswith("-") or arg == "-":
            continue  # a path
        kept.append(arg)
        flag = arg.split("=", 1)[0]
        action = by_flag.get(flag) or (by_flag.get(arg[:2]) if not arg.startswith("--") else None)
        attached = "=" in arg or (action is not None and not arg.startswith("--") and len(arg) > 2)
        if action is not None and _takes_value(action) and not attached and index < len(args):
            optional = action.nargs == "?"
            if not (optional and args[index].startswith("-")):
                kept.append(args[index])
                index += 1
    return kept


def select(project_dir: Path, args: list[str]) -> Selection:
    """What ``behave ARGS`` run from ``project_dir`` would run; raises behave's ConfigError on bad options."""
    config = Configuration(list(args))
    config.setup_model()  # the configured names of an outline's examples, as behave gives them
    here = Path.cwd()
    os.chdir(project_dir)
    try:
        features = parse_features(collect_feature_locations(config.paths or ["features"]), language=config.lang)
    finally:
        os.chdir(here)
    locations, in_paths = [], 0
    for feature in features:
        if config.exclude(feature.filename):
            continue
        for scenario in feature.walk_scenarios():
            in_paths += 1
            if scenario.should_run(config):
                locations.append(f"{_relative(feature.filename, project_dir)}:{scenario.line}")
    return Selection(locations, without_paths(list(args)), partial_reasons(config), in_paths)


def _relative(filename: str, project_dir: Path) -> str:
    path = Path(filename)
    if not path.is_absolute():
        path = project_dir / path
    try:
        return str(path.resolve().relative_to(project_dir.resolve()))
    except ValueError:
        return str(path)
