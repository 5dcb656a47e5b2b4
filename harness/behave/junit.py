"""behave's JUnit reporter, with a feature's true time and files written whole.

behave 1.3.3 times a test suite by its feature's direct scenarios only, so a feature whose
scenarios sit under ``Rule:`` says ``time="0.0"``; here a suite's time is the sum of all its
scenarios'. Each file is written under a temporary name, then renamed, so a run killed
half-way leaves no cut-short XML; and it goes to the run's reports folder.
"""

from __future__ import annotations

import codecs
import os
from datetime import datetime
from pathlib import Path
from typing import Any

from xml.etree import ElementTree

from behave.model_type import Status
from behave.reporter.junit import ElementTreeWithCDATA, FeatureReportData, JUnitReporter, gethostname


def feature_seconds(feature: Any) -> float:
    """Every scenario's time, those under rules and outlines included."""
    return sum(scenario.duration for scenario in feature.walk_scenarios())


class RunJUnitReporter(JUnitReporter):
    def __init__(self, config: Any, directory: Path) -> None:
        super().__init__(config)
        self.directory = directory

    def feature(self, feature: Any) -> None:
        if feature.status == Status.skipped and not self.show_skipped:
            return
        self._summary_collector.visit_feature(feature)
        feature_filename = self.make_feature_filename(feature)
        report = FeatureReportData(feature, feature_filename)
        suite = ElementTree.Element("testsuite")
        suite.set("name", f"{feature_filename}.{feature.name or feature_filename}")
        self._process_run_items_for(feature, report)
        for testcase in report.testcases:
            suite.append(testcase)
        suite.set("tests", str(report.counts_tests))
        suite.set("errors", str(report.counts_errors))
        suite.set("failures", str(report.counts_failed))
        suite.set("skipped", str(report.counts_skipped))
        suite.set("time", str(round(feature_seconds(feature), 6)))
        if self.show_timestamp:
            suite.set("timestamp", datetime.now().isoformat())
        if self.show_hostname:
            suite.set("hostname", gethostname())
        self.directory.mkdir(parents=True, exist_ok=True)
        target = self.directory / f"TESTS-{feature_filename}.xml"
        partial = target.with_name(target.name + ".partial")
        with codecs.open(str(partial), "wb") as stream:
            ElementTreeWithCDATA(suite).write(stream, "UTF-8")
        os.replace(partial, target)


def use_run_junit(config: Any, directory: Path) -> None:
    """Puts ours in place of behave's JUnit reporter, when JUnit output is on."""
    config.junit_directory = str(directory)
    config.reporters = [
        RunJUnitReporter(config, directory) if type(reporter) is JUnitReporter else reporter
        for reporter in config.reporters
    ]
