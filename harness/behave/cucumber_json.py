"""A behave formatter that writes Cucumber JSON, for the CI tools that read it.

behave's own ``json`` format is not Cucumber's. The run's ``cucumber.json`` is built from
behave's model once the run has ended, and written whole (under a temporary name, then
renamed) into the run's reports folder: a run killed half-way leaves no cut-short file, and
never one of an earlier run that would pass for this one's. Each feature's background is an
element of its own before each scenario, as Cucumber writes it.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from behave.formatter.base import Formatter

from harness.files import write_whole

# behave's statuses as Cucumber names them; the rest keep their name.
STATUS = {"untested": "skipped", "hook_error": "failed", "error": "failed", "cleanup_error": "failed"}
NANOSECONDS = 1_000_000_000


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def status_of(model: Any) -> str:
    name = str(getattr(getattr(model, "status", None), "name", "untested"))
    return STATUS.get(name, name)


def tags_of(model: Any) -> list[dict[str, Any]]:
    return [{"name": f"@{tag}", "line": model.line - 1} for tag in model.tags]


def step_json(step: Any, matched: dict[str, str]) -> dict[str, Any]:
    result: dict[str, Any] = {"status": status_of(step), "duration": int(step.duration * NANOSECONDS)}
    if step.error_message:
        result["error_message"] = str(step.error_message)
    found: dict[str, Any] = {
        "keyword": step.keyword, "step_type": step.step_type, "name": step.name, "line": step.line, "result": result,
    }
    if str(step.location) in matched:
        found["match"] = {"location": matched[str(step.location)]}
    if step.text:
        found["doc_string"] = {"value": str(step.text), "line": step.line + 1}
    if step.table:
        found["rows"] = [{"cells": list(step.table.headings)}] + [{"cells": list(row.cells)} for row in step.table]
    return found


def scenario_elements(feature_id: str, scenario: Any, matched: dict[str, str]) -> list[dict[str, Any]]:
    elements = []
    if scenario.background_steps:
        background = scenario.feature.background
        elements.append({
            "type": "background", "keyword": background.keyword, "name": background.name or "",
            "line": background.line, "description": "", "steps": [step_json(s, matched) for s in scenario.background_steps],
        })
    elements.append({
        "type": "scenario", "id": f"{feature_id};{slug(scenario.name)}", "keyword": scenario.keyword,
        "name": scenario.name, "line": scenario.line, "location": str(scenario.location),
        "description": "\n".join(scenario.description), "tags": tags_of(scenario),
        "steps": [step_json(step, matched) for step in scenario.steps],
    })
    return elements


def feature_json(feature: Any, matched: dict[str, str]) -> dict[str, Any]:
    feature_id = slug(feature.name)
    return {
        "id": feature_id, "uri": str(feature.location.filename), "line": feature.line, "keyword": feature.keyword,
        "name": feature.name, "description": "\n".join(feature.description), "tags": tags_of(feature),
        "status": status_of(feature),
        "elements": [
            element for scenario in feature.walk_scenarios()
            for element in scenario_elements(feature_id, scenario, matched)
        ],
    }


class CucumberJSONFormatter(Formatter):
    name = "cucumber"
    description = "Cucumber JSON, written whole at the end of the run"

    def __init__(self, stream_opener: Any, config: Any) -> None:
        super().__init__(stream_opener, config)
        self.features: list[Any] = []
        # Step location -> the step definition it matched (behave tells it only while running).
        self.matched: dict[str, str] = {}
        self._match: str | None = None
        # Where the file goes: the configured name, until the run says which folder is its own.
        self.target: Path | None = Path(stream_opener.name) if stream_opener.name else None

    def write_into(self, folder: Path) -> None:
        self.target = folder / (self.target.name if self.target else "cucumber.json")

    def feature(self, feature: Any) -> None:
        self.features.append(feature)

    def match(self, match: Any) -> None:
        # behave announces every step of a scenario first, then runs each: match, then its result.
        self._match = str(match.location) if getattr(match, "location", None) else None

    def result(self, step: Any) -> None:
        if self._match is not None:
            self.matched[str(step.location)] = self._match
        self._match = None

    def close(self) -> None:
        text = json.dumps([feature_json(feature, self.matched) for feature in self.features], indent=1)
        if self.target is None:
            self.open().write(text + "\n")
            self.close_stream()
            return
        self.target.parent.mkdir(parents=True, exist_ok=True)
        write_whole(self.target, text)


def write_cucumber_into(runner: Any, folder: Path) -> None:
    """Points the run's Cucumber formatter, if it has one, at the run's reports folder."""
    for formatter in getattr(runner, "formatters", None) or []:
        if isinstance(formatter, CucumberJSONFormatter):
            formatter.write_into(folder)
