"""What the report says of a run, taken from behave's model plus what the hooks collected.

Plain data, so the HTML writer and the tests need neither behave nor a stack.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from harness.redaction import redact
from harness.statemachine.executions import ExecutionReport

# behave's statuses of a scenario or step that did not pass: a failed check, or an error.
FAILED = ("failed", "error", "hook_error")


@dataclass
class StepRecord:
    keyword: str
    name: str
    status: str
    duration_s: float
    error: str | None = None
    text: str | None = None
    table: list[list[str]] | None = None


@dataclass
class ScenarioExtras:
    """What after_scenario gathered beyond behave's model."""

    executions: list[ExecutionReport] = field(default_factory=list)
    left_behind: Any = None  # redacted, JSON-like
    log_tails: dict[str, str] = field(default_factory=dict)  # app -> redacted tail, failed scenarios only
    notes: list[str] = field(default_factory=list)  # what could not be collected, and why


@dataclass
class ScenarioRecord:
    name: str
    location: str
    status: str
    duration_s: float
    tags: list[str]
    rule: str | None
    steps: list[StepRecord]
    extras: ScenarioExtras = field(default_factory=ScenarioExtras)
    outline_location: str | None = None  # an outline's example: the outline's own location
    ran_by: str | None = None  # which process ran it, when several shared the run
    skip_reason: str | None = None  # why it did not run, when something said why

    @property
    def run_location(self) -> str:
        """The ``file:line`` that selects it to run: an example runs by its outline's line."""
        return self.outline_location or self.location

    @property
    def failure(self) -> str | None:
        """The failing step's assertion (or error), as behave reported it."""
        for step in self.steps:
            if step.error:
                return step.error
        return None


@dataclass
class FeatureRecord:
    name: str
    location: str
    description: list[str]
    tags: list[str]
    status: str
    scenarios: list[ScenarioRecord]


@dataclass
class RunRecord:
    title: str
    stack: str
    started: datetime
    duration_s: float
    features: list[FeatureRecord]
    definition: dict[str, Any] | None = None  # the state machine every execution ran on
    notes: list[str] = field(default_factory=list)  # about the run as a whole, shown under its title
    # The run's TIME_SCALE: every declared wait lasted this share of its real length.
    time_scale: float = 1.0

    def scenarios(self) -> list[ScenarioRecord]:
        return [scenario for feature in self.features for scenario in feature.scenarios]

    def counts(self) -> dict[str, int]:
        counts = {"passed": 0, "failed": 0, "skipped": 0}
        for scenario in self.scenarios():
            key = scenario.status if scenario.status in counts else ("failed" if scenario.status in FAILED else "skipped")
            counts[key] += 1
        return counts


def status_name(model: Any) -> str:
    status = getattr(model, "status", None)
    return str(getattr(status, "name", status or "untested"))


def step_record(step: Any) -> StepRecord:
    error = getattr(step, "error_message", None)
    table = getattr(step, "table", None)
    return StepRecord(
        keyword=str(step.keyword),
        name=str(step.name),
        status=status_name(step),
        duration_s=float(getattr(step, "duration", 0) or 0),
        error=redact(error) if error and status_name(step) in FAILED else None,
        text=redact(str(step.text)) if getattr(step, "text", None) else None,
        table=[list(table.headings)] + [list(row.cells) for row in table.rows] if table else None,
    )


def scenario_key(scenario: Any) -> str:
    """Stable within a run: outline rows share a line but not a name."""
    return f"{scenario.location}::{scenario.name}"


def outline_location(scenario: Any) -> str | None:
    """Where the outline of an example row is: the line a runner is given to run the row."""
    if getattr(scenario, "_row", None) is None:
        return None
    return str(scenario.parent.location)


def scenario_record(scenario: Any, extras: ScenarioExtras | None, rule: str | None = None) -> ScenarioRecord:
    steps = [step_record(step) for step in getattr(scenario, "all_steps", scenario.steps)]
    record = ScenarioRecord(
        name=str(scenario.name),
        location=str(scenario.location),
        status=status_name(scenario),
        duration_s=float(getattr(scenario, "duration", 0) or 0),
        tags=[str(tag) for tag in scenario.effective_tags] if hasattr(scenario, "effective_tags") else [],
        rule=rule,
        steps=steps,
        extras=extras or ScenarioExtras(),
        outline_location=outline_location(scenario),
    )
    reason = getattr(scenario, "skip_reason", None)
    if record.status == "skipped" and reason:
        record.skip_reason = redact(str(reason))
    # A hook that failed leaves no failing step; say so rather than show a green-looking list.
    if record.status in ("error", "hook_error") and not record.failure and getattr(scenario, "error_message", None):
        record.extras.notes.append(redact(str(scenario.error_message)))
    return record


def feature_record(feature: Any, extras: dict[str, ScenarioExtras]) -> FeatureRecord:
    scenarios = []
    rule: str | None = None
    # Rules come after a feature's own scenarios, and every scenario after a Rule belongs to one.
    for item in feature.walk_scenarios(with_rules=True):
        if type(item).__name__ == "Rule":
            rule = str(item.name)
            continue
        scenarios.append(scenario_record(item, extras.get(scenario_key(item)), rule))
    return FeatureRecord(
        name=str(feature.name),
        location=str(feature.location),
        description=[str(line) for line in feature.description],
        tags=[str(tag) for tag in feature.tags],
        status=status_name(feature),
        scenarios=scenarios,
    )
