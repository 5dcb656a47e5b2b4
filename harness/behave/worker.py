"""One behave process of a parallel run: ``python -m harness.behave.worker <reports dir> [behave options]``.

behave adds the formatters given on its command line to those of its config file, with their
files: every worker would write the config file's outputs (``reports/cucumber.json``) to the same
path, each overwriting the others. Here the file outputs the config file names go to the
worker's own reports folder, under the same names; everything else is behave as usual.
"""

from __future__ import annotations

import sys
from pathlib import Path

from behave.__main__ import run_behave
from behave.configuration import Configuration
from behave.exception import ConfigError, TagExpressionError

from harness.stacks.parent_death import die_with_given_parent


def move_configured_files(config: Configuration, reports_dir: Path) -> None:
    # behave lists the config file's outputs first (argparse appends the command line's to them).
    configured = len(config.defaults.get("outfiles") or [])
    for opener in config.outputs[:configured]:
        if opener.name:  # None: the console
            opener.name = str(reports_dir / Path(opener.name).name)


def main(argv: list[str] | None = None) -> int:
    # A worker whose runner died (killed outright) would run its share, and its stack, for nobody.
    die_with_given_parent()
    argv = sys.argv[1:] if argv is None else argv
    reports_dir, behave_args = Path(argv[0]), argv[1:]
    try:
        config = Configuration(behave_args)
    except (ConfigError, TagExpressionError) as exc:  # what ``python -m behave`` catches too
        print(f"{type(exc).__name__}: {exc}")
        return 1
    move_configured_files(config, reports_dir)
    return run_behave(config)


if __name__ == "__main__":
    sys.exit(main())
