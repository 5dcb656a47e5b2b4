"""Executions and runs made up for the report's tests: the three paths the report must draw.

Their definition is the report's own sample (tests/report_sample_definition.json), a callback
pipeline with a catch-all failure path, so the drawings of catches and Fail states are tested
whatever shape the project's definition has."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from pathlib import Path

from harness.statemachine.executions import ExecutionReport, StateVisit
from harness.report.records import FeatureRecord, RunRecord, ScenarioExtras, ScenarioRecord, StepRecord

PROJECT_DIR = Path(__file__).resolve().parent.parent
DEFINITION = json.loads((PROJECT_DIR / "tests" / "report_sample_definition.json").read_text())
T0 = datetime(2026, 1, 2, 3, 4, 5, tzinfo=timezone.utc)

HAPPY_PATH = ["Ingest", "FetchFiling", "Validate", "Complete"]
UNKNOWN_COMPANY_PATH = ["Ingest", "FetchFiling", "FetchFilingFailed", "RecordFailure", "Failed"]


def _visits(names: list[str], failures: dict[str, list[tuple[str, str]]] | None = None) -> list[StateVisit]:
    visits, at = [], T0
    for name in names:
        kind = next(state["Type"] for key, state in DEFINITION["States"].items() if key == name)
        visit = StateVisit(name, kind, at, at + timedelta(milliseconds=200), list((failures or {}).get(name, [])))
        visits.append(visit)
        at += timedelta(milliseconds=250)
    return visits


def happy() -> ExecutionReport:
    return ExecutionReport("arn:aws:states:us-east-1:1:execution:m:req-happy", "SUCCEEDED", {}, {}, None, None, _visits(HAPPY_PATH))


def unknown_company() -> ExecutionReport:
    failure = ("Sec.NotFound", "no 10-K filings for CIK 9999999999")
    return ExecutionReport(
        "arn:aws:states:us-east-1:1:execution:m:req-unknown", "FAILED", {}, None, *failure,
        _visits(UNKNOWN_COMPANY_PATH, {"FetchFiling": [failure]}),
    )


def throttled_then_recovered() -> ExecutionReport:
    throttled = [("Sec.Throttled", "429 too many requests")] * 2
    visits = _visits(HAPPY_PATH, {"FetchFiling": throttled})
    visits[1].succeeded = True  # its third attempt
    return ExecutionReport(
        "arn:aws:states:us-east-1:1:execution:m:req-throttled", "SUCCEEDED", {}, {}, None, None, visits,
    )


def _scenario(name: str, status: str, report: ExecutionReport, error: str | None = None) -> ScenarioRecord:
    steps = [
        StepRecord("Given", "an analyst requests the latest 10-K filing", "passed", 0.01),
        StepRecord("Then", "the request ends as expected", status, 0.02, error),
    ]
    extras = ScenarioExtras(
        executions=[report],
        left_behind={"s3_keys": ["requests/x/request.json"], "dynamodb_item": {"status": report.status, "api_key": "hunter22"}},
        log_tails={"utilities": "utilities WARNING task failed: Sec.NotFound"} if status == "failed" else {},
    )
    return ScenarioRecord(name, f"features/x.feature:{len(name)}", status, 1.5, [], "a rule", steps, extras)


def sample_run() -> RunRecord:
    scenarios = [
        _scenario("the happy path", "passed", happy()),
        _scenario("an unknown company", "failed", unknown_company(), "Expected: 'SUCCEEDED' but: was 'FAILED'"),
        _scenario("throttled, then recovered", "passed", throttled_then_recovered()),
    ]
    feature = FeatureRecord("Filing requests", "features/x.feature:1", ["Acceptance criteria:", "- it works"], [], "failed", scenarios)
    return RunRecord("Acceptance report: sample", "embedded", T0, 12.5, [feature], DEFINITION)
