"""The records of several behave processes that shared one run, as one record: one report.

A parallel run deals scenarios out by ``file:line`` (an outline by its own line, with all its
examples). Each process's record has every feature it was given, with the scenarios dealt to
the others as untested; and a feature dealt to nobody, or only to a process that died, is in no
record at all. So the merged report is built on the suite itself, parsed from its feature files
(every feature in behave's order, every scenario once), and each scenario is taken from the
record of the process it was dealt to, named as the one that ran it. A scenario dealt to nobody
was left out by the tags and is skipped, as in a serial run. A scenario whose process left no
result for it stays in, marked as an error that says so, and a process with no record at all
is named under the report's title: the report never shrinks silently.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path

from behave.configuration import Configuration
from behave.parser import parse_feature

from harness.report.records import (
    FAILED,
    FeatureRecord,
    RunRecord,
    ScenarioExtras,
    ScenarioRecord,
    feature_record,
)

# Counted with the failures: the run did not show that these scenarios pass.
NOT_REPORTED = "error"


@dataclass(frozen=True)
class WorkerRun:
    """One process of a shared run, as the merge sees it."""

    name: str  # as the report names it, e.g. "worker 1"
    locations: list[str]  # the ``file:line`` of each scenario or outline dealt to it
    record: RunRecord | None  # None: it left no record (it crashed, was killed, or could not write)


def suite_features(project_dir: Path, feature_files: list[Path]) -> list[FeatureRecord]:
    """Every feature of the suite with none of it run, located and named as behave run from
    ``project_dir`` does (its configuration's names for an outline's examples included)."""
    Configuration([]).setup_model()
    features = []
    for path in feature_files:
        relative = path.resolve().relative_to(project_dir.resolve())
        feature = parse_feature(path.read_text(encoding="utf-8"), filename=str(relative))
        if feature is not None:
            features.append(feature_record(feature, {}))
    return features


def merge_runs(suite: list[FeatureRecord], workers: list[WorkerRun], duration_s: float) -> RunRecord:
    dealt = {location: worker.name for worker in workers for location in worker.locations}
    reported = _reported(workers, dealt)
    records = [worker.record for worker in workers if worker.record is not None]
    return RunRecord(
        title=records[0].title if records else "Acceptance report",
        stack=records[0].stack if records else "unknown",
        started=min((record.started for record in records), default=datetime.now().astimezone()),
        duration_s=duration_s,
        features=[_merged_feature(feature, dealt, reported) for feature in suite],
        definition=next((record.definition for record in records if record.definition), None),
        notes=_notes(workers),
        time_scale=next((getattr(record, "time_scale", 1.0) for record in records), 1.0),
    )


def _reported(workers: list[WorkerRun], dealt: dict[str, str]) -> dict[str, ScenarioRecord]:
    """Each scenario's own location -> its record from the process it was dealt to, named."""
    reported = {}
    for worker in workers:
        for scenario in worker.record.scenarios() if worker.record else []:
            if dealt.get(scenario.run_location) == worker.name:
                reported[scenario.location] = replace(scenario, ran_by=worker.name)
    return reported


def _merged_feature(feature: FeatureRecord, dealt: dict[str, str], reported: dict[str, ScenarioRecord]) -> FeatureRecord:
    scenarios = [_merged_scenario(scenario, dealt, reported) for scenario in feature.scenarios]
    return replace(feature, status=_feature_status(scenarios), scenarios=scenarios)


def _merged_scenario(scenario: ScenarioRecord, dealt: dict[str, str], reported: dict[str, ScenarioRecord]) -> ScenarioRecord:
    if scenario.location in reported:
        return reported[scenario.location]
    worker = dealt.get(scenario.run_location)
    if worker is None:
        return replace(scenario, status="skipped")
    note = f"Dealt to {worker}, which left no result for it: its console and logs say why."
    return replace(scenario, status=NOT_REPORTED, ran_by=worker, extras=ScenarioExtras(notes=[note]))


def _feature_status(scenarios: list[ScenarioRecord]) -> str:
    statuses = {scenario.status for scenario in scenarios}
    if statuses & set(FAILED):
        return "failed"
    return "passed" if "passed" in statuses else "skipped"


def _notes(workers: list[WorkerRun]) -> list[str]:
    notes = [f"Run by {len(workers)} behave processes, side by side; each scenario names the one that ran it."]
    for worker in workers:
        if worker.record is None:
            notes.append(
                f"{worker.name} left no run record: the {len(worker.locations)} scenario(s) dealt to it "
                "(an outline counts once) are marked as not reported."
            )
    return notes
