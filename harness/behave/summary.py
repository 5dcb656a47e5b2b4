"""behave's closing summary with the run's true duration.

behave 1.3.3's summary adds up its features' durations, and a feature's duration counts only
the scenarios directly under it: a suite written with ``Rule:`` ran 85 s and said "Took 0min
4.897s". Here "Took" is the wall-clock time from the start of ``before_all`` (the stack's
start-up included) to the summary.
"""

from __future__ import annotations

from typing import Any

from behave.reporter.summary import SummaryReporterV1


class WallClockSummaryReporter(SummaryReporterV1):
    def process_feature(self, feature: Any) -> None:
        # behave's own adds feature.duration to the total here; the clock alone says it.
        self.feature_summary[feature.status.name] += 1
        self.process_run_items_for(feature)


def use_wall_clock_summary(config: Any) -> None:
    """Puts ours in place of behave's summary, and starts its clock now."""
    reporters = []
    for reporter in config.reporters:
        if type(reporter) is SummaryReporterV1:
            reporter = WallClockSummaryReporter(config)
        if isinstance(reporter, SummaryReporterV1):
            reporter.testrun_started()
        reporters.append(reporter)
    config.reporters = reporters
