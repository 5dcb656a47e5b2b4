"""Delete what a run on real AWS created, from its journal: ``python -m harness cleanup JOURNAL``.

For a run that could not clean up after itself (killed outright, network gone). The journal,
``<REPORTS_DIR>/aws-created-<prefix>.jsonl``, lists exactly the resources that run created, so
nothing else is touched. It is removed once everything in it is gone.
"""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from harness.aws_clients import AwsTarget, Clients
from harness.resources.provisioning import deprovision
from harness.resources.record import read_journal
from harness.settings import load_settings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m harness cleanup", description=__doc__.splitlines()[0])
    parser.add_argument("journal", type=Path)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    settings = load_settings(Path.cwd())
    failures = deprovision(Clients(AwsTarget(settings.region, None)), read_journal(args.journal))
    for failure in failures:
        print(f"not deleted: {failure}", file=sys.stderr)
    if failures:
        return 1
    args.journal.unlink()
    return 0


if __name__ == "__main__":
    sys.exit(main())
