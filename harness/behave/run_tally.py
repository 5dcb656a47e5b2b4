"""What a behave run selected, what it ran and what it skipped, and why: a run that checked
nothing, or skipped a scenario without a declared reason, fails.

behave exits 0 when its tags select nothing, and a scenario that is skipped (by a hook, a step,
an aborted run) shows only as a count nobody reads. So the run is tallied:

- selected: every scenario behave was going to run once the tags, names and locations had
  chosen (read in ``before_all``, before anything ran);
- ran: passed, or failed in any way (a failed check, an error, an undefined step);
- declared skips: skipped by the gates because the stack does not declare what the scenario
  needs (``harness/behave/gates.py``), counted by reason;
- not run: anything else selected that did not run; one such scenario fails the run, and so
  does a run in which nothing ran.

The tally is written to ``run-summary.json`` in the reports folder, where the expectations of
``python -m harness expect-runs`` read it (``harness/behave/run_expectations.py``).
"""

from __future__ import annotations

import json
import time
from collections import Counter
from pathlib import Path
from typing import Any

SUMMARY_FILE = "run-summary.json"


class RunIncomplete(AssertionError):
    """The run checked less than it selected."""


def _key(scenario: Any) -> str:
    return f"{scenario.filename}:{scenario.line}"


class RunTally:
    def __init__(self, features: list[Any], config: Any, share: bool = False) -> None:
        """``share``: the run is one process's share of a split run, whose parent checks that
        anything ran at all, over every share (a share may hold only scenarios its stack skips)."""
        self.started_at = time.time()
        self.share = share
        self.dry_run = bool(getattr(config, "dry_run", False))
        # Location-deselected scenarios are already marked skipped here, so should_run says it all.
        self.selected = {
            _key(scenario): scenario
            for feature in features
            for scenario in feature.walk_scenarios()
            if scenario.should_run(config)
        }
        self.declared_skips: dict[str, str] = {}

    def skipped_by_declaration(self, scenario: Any, reason: str) -> None:
        self.declared_skips[_key(scenario)] = reason

    def summary(self, stack: str) -> dict[str, Any]:
        statuses = {key: scenario.status.name for key, scenario in self.selected.items()}
        # Skipped or untested (behave's untested, untested_pending, ...) did not run; anything
        # else did: passed, or failed, errored, hit an undefined step.
        ran = [key for key, status in statuses.items() if status != "skipped" and not status.startswith("untested")]
        not_run = [
            f"{self.selected[key].name} ({key}): {status}"
            for key, status in statuses.items()
            if key not in ran and key not in self.declared_skips
        ]
        return {
            "stack": stack,
            "started_at": self.started_at,
            "finished_at": time.time(),
            "selected": len(self.selected),
            "ran": len(ran),
            "passed": sum(1 for key in ran if statuses[key] == "passed"),
            "failed": sum(1 for key in ran if statuses[key] != "passed"),
            "skipped": dict(Counter(self.declared_skips[key] for key in self.declared_skips if key not in ran)),
            "not_run": not_run,
        }

    def write(self, reports_dir: Path, stack: str) -> dict[str, Any]:
        summary = self.summary(stack)
        reports_dir.mkdir(parents=True, exist_ok=True)
        (reports_dir / SUMMARY_FILE).write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")
        return summary

    def check(self, summary: dict[str, Any]) -> None:
        """Raises when the run checked less than it selected."""
        if self.dry_run:
            return
        if summary["not_run"]:
            raise RunIncomplete(
                f"{len(summary['not_run'])} selected scenario(s) did not run, with no declared reason: "
                + "; ".join(summary["not_run"])
            )
        if summary["ran"] == 0 and not self.share:
            skipped = "; ".join(f"{count} skipped: {reason}" for reason, count in summary["skipped"].items())
            raise RunIncomplete(
                f"no scenario ran ({summary['selected']} selected{'; ' + skipped if skipped else ''}): "
                "a run that checked nothing is not a pass"
            )
