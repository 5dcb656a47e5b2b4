"""Command line: ``python -m harness.report overview`` writes the pipeline overview; runs nothing.

    overview   the whole state machine diagram and an index of features and scenarios
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from harness.pipeline import DeclarationError
from harness.report.overview import write_overview
from harness.settings import SettingsError, load_settings
from harness.statemachine.definition import DefinitionError


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m harness.report", description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=["overview"])
    parser.add_argument("--project-dir", type=Path, default=Path.cwd())
    parser.add_argument("--features", type=Path, default=None, help="feature folder (default: features/)")
    parser.add_argument("--output", type=Path, default=None, help="default: <REPORTS_DIR>/overview.html")
    args = parser.parse_args(argv)
    try:
        settings = load_settings(args.project_dir)
        target = write_overview(
            settings.pipeline_file,
            args.features or settings.project_dir / "features",
            args.output or settings.reports_dir / "overview.html",
        )
    except (SettingsError, DeclarationError, DefinitionError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(f"wrote {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
