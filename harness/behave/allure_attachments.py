"""Each scenario's executions as Allure attachments, for teams that keep history in Allure.

With allure-behave's formatter on (``-f allure_behave.formatter:AllureFormatter -o
reports/allure``), each scenario's Allure result carries, per execution, the state machine
diagram with its path drawn (SVG) and its timeline (HTML). Without it, or without the
package, nothing is drawn for it and nothing changes.
"""

from __future__ import annotations

import logging

from harness.report.dot import machine_dot
from harness.report.html import page
from harness.report.path import overlay, visit_attempts
from harness.report.render import render_svg
from harness.report.timeline import timeline_html
from harness.statemachine.executions import ExecutionReport
from harness.statemachine.model import Machine

log = logging.getLogger(__name__)


def allure_is_on() -> bool:
    """True when allure-behave's formatter listens in this run."""
    try:
        import allure_commons
    except ImportError:
        return False
    return any(type(plugin).__name__ == "AllureListener" for plugin in allure_commons.plugin_manager.get_plugins())


def attach_executions(executions: list[ExecutionReport], machine: Machine | None, time_scale: float = 1.0) -> int:
    """Attaches each execution's diagram and timeline to the running scenario; returns how many
    attachments were made."""
    if not executions or not allure_is_on():
        return 0
    import allure

    made = 0
    for index, report in enumerate(executions):
        name = report.arn.rsplit(":", 1)[-1]
        if machine is not None:
            rendered = render_svg(machine_dot(machine, overlay(machine, report), f"allure-e{index}"))
            if rendered.svg is not None:
                allure.attach(rendered.svg, name=f"{name}: diagram", attachment_type=allure.attachment_type.SVG)
                made += 1
        attempts = visit_attempts(machine, report) if machine is not None else [v.attempts for v in report.path]
        timeline = page(f"{name}: timeline", f"<h3>{name} {report.status}</h3>" + timeline_html(report, attempts, time_scale))
        allure.attach(timeline, name=f"{name}: timeline", attachment_type=allure.attachment_type.HTML)
        made += 1
    return made


def attach_quietly(executions: list[ExecutionReport], machine: Machine | None, time_scale: float) -> None:
    # Like the rest of the reporting: never the cause of a failed run.
    try:
        attach_executions(executions, machine, time_scale)
    except Exception:  # noqa: BLE001
        log.exception("could not attach the executions to the Allure result")
