"""The run's state-machine coverage as a JUnit test suite, beside behave's own.

CI tools that read JUnit show its figures as the suite's properties and, with a minimum set
(``-D coverage_min=N``), one test case per measure that fails below it, naming what no scenario
takes.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from harness.files import write_whole
from harness.statemachine.coverage import Coverage

COVERAGE_JUNIT_FILE = "TESTS-state-machine-coverage.xml"
SUITE_NAME = "state machine coverage"


def not_measured(minimum: float) -> str:
    """Why a run with a coverage minimum and no execution followed fails: not a 0% to mend by scenarios."""
    return (f"a state machine coverage minimum of {minimum:g}% is set, but no scenario of this run followed "
            "an execution's path: coverage was not measured")


def shortfalls(coverage: Coverage, minimum: float | None) -> dict[str, float]:
    """The measures below ``minimum`` (percent), with their figure; none when no minimum is set.
    A run that followed no execution falls short of any minimum: nothing shows that it holds."""
    if minimum is None:
        return {}
    return {name: f["percent"] for name, f in coverage.figures().items() if f["percent"] < minimum}


def coverage_suite(coverage: Coverage, minimum: float | None) -> ET.Element:
    figures = coverage.figures()
    below = shortfalls(coverage, minimum)
    suite = ET.Element("testsuite", name=SUITE_NAME, tests=str(len(figures)), failures=str(len(below)),
                       errors="0", skipped="0", time="0")
    properties = ET.SubElement(suite, "properties")
    ET.SubElement(properties, "property", name="executions", value=str(coverage.executions))
    if minimum is not None:
        ET.SubElement(properties, "property", name="coverage_min", value=f"{minimum:g}")
    for name, f in figures.items():
        for key in ("covered", "total", "percent"):
            ET.SubElement(properties, "property", name=f"{name}.{key}", value=f"{f[key]:g}")
    uncovered = coverage.uncovered()
    for name, f in figures.items():
        case = ET.SubElement(suite, "testcase", classname=SUITE_NAME, time="0",
                             name=f"{name} {f['covered']}/{f['total']} ({f['percent']:g}%)")
        if name in below and not coverage.executions:
            ET.SubElement(case, "failure", type="CoverageNotMeasured", message=not_measured(minimum or 0))
        elif name in below:
            failure = ET.SubElement(case, "failure", type="CoverageBelowMinimum",
                                    message=f"{name} coverage {f['percent']:g}% is below the minimum {minimum:g}%")
            failure.text = "Not taken by any scenario:\n" + "\n".join(f"- {line}" for line in uncovered)
    return suite


def write_coverage_junit(coverage: Coverage, junit_dir: Path, minimum: float | None) -> Path:
    junit_dir.mkdir(parents=True, exist_ok=True)
    target = junit_dir / COVERAGE_JUNIT_FILE
    write_whole(target, ET.tostring(coverage_suite(coverage, minimum), encoding="utf-8", xml_declaration=True))
    return target
