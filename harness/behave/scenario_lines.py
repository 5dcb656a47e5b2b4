"""One line per scenario as it ends, from each process of a split run to the one that started it.

The worker side is a behave formatter (``-f harness.behave.scenario_lines:ScenarioLines``): once
a scenario has run (its cleanup included, so its status is final) it writes one marked line of
JSON on its stream. The parent reads each worker's output, keeps everything in the worker's
folder and prints the scenario lines, so the console shows each scenario as it ends, whichever
process ran it.
"""

from __future__ import annotations

import json
from typing import Any

from behave.formatter.base import Formatter

from harness.redaction import redact

MARK = "::scenario-ended:: "
NOT_SHOWN = ("skipped", "untested")


def _failure(scenario: Any) -> str | None:
    for step in getattr(scenario, "all_steps", scenario.steps):
        if getattr(step, "error_message", None):
            return str(step.error_message)
    message = getattr(scenario, "error_message", None)
    return str(message) if message else None


def scenario_line(scenario: Any) -> str | None:
    """The marked line for a scenario that ran; None for one that did not."""
    status = str(getattr(scenario.status, "name", scenario.status))
    if status in NOT_SHOWN:
        return None
    failure = _failure(scenario) if status != "passed" else None
    body = {
        "location": str(scenario.location),
        "name": str(scenario.name),
        "status": status,
        "seconds": round(float(getattr(scenario, "duration", 0) or 0), 2),
        "failure": redact(failure) if failure else None,
    }
    return MARK + json.dumps(body)


class ScenarioLines(Formatter):
    name = "scenario-lines"
    description = "one marked JSON line per scenario once it has run, for the process that split the run"

    def __init__(self, stream_opener: Any, config: Any) -> None:
        super().__init__(stream_opener, config)
        self.current: Any = None

    def _flush(self) -> None:
        scenario, self.current = self.current, None
        line = scenario_line(scenario) if scenario is not None else None
        if line:
            stream = self.open()
            stream.write(line + "\n")
            stream.flush()

    def scenario(self, scenario: Any) -> None:
        # behave calls no formatter once a scenario has ended: the next one's start says so.
        self._flush()
        self.current = scenario

    def eof(self) -> None:
        self._flush()

    def close(self) -> None:
        self._flush()
        super().close()


def parsed(line: str) -> dict[str, Any] | None:
    """The scenario a marked line tells of; None for any other line."""
    if not line.startswith(MARK):
        return None
    try:
        body = json.loads(line[len(MARK):])
    except ValueError:
        return None
    return body if isinstance(body, dict) else None


def shown(body: dict[str, Any], process: str) -> str:
    """The console's line for a scenario that ended, and the failure under it."""
    status = "passed" if body.get("status") == "passed" else "FAILED"
    line = f"  {status:<6} {body.get('seconds', 0):6.1f} s  {body.get('location')}  {body.get('name')}  ({process})"
    if body.get("failure"):
        line += "\n" + "\n".join(f"      {text}" for text in str(body["failure"]).splitlines())
    return line
