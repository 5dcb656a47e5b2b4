"""The report as one self-contained HTML page: inline CSS and SVG, no script, nothing fetched.

It opens from disk, in a browser without network, and prints.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from typing import Any

from harness.statemachine.coverage import Coverage
from harness.report.coverage_view import coverage_html, coverage_overlay, run_coverage
from harness.report.dot import machine_dot
from harness.report.path import overlay, visit_attempts
from harness.report.records import FeatureRecord, RunRecord, ScenarioRecord, StepRecord
from harness.report.render import Rendered, render_many, render_svg
from harness.report.sanitize import redacted, redacted_json
from harness.report.timeline import timeline_html
from harness.statemachine.executions import ExecutionReport
from harness.statemachine.model import Machine, parse_machine

Renderer = Callable[[str], Rendered]

CSS = """
:root { --ok:#1b7f3b; --bad:#b00020; --skip:#8a8a8a; --warn:#b26a00; --line:#ddd; --soft:#f6f7f9; }
* { box-sizing: border-box; }
body { font: 14px/1.45 "DejaVu Sans", Helvetica, Arial, sans-serif; margin: 0; color: #1d1d1f; background: #fff; }
header, main, nav { max-width: 1400px; margin: 0 auto; padding: 0 24px; }
header { padding-top: 18px; }
h1 { font-size: 22px; margin: 0 0 8px; }
h2 { font-size: 18px; margin: 28px 0 4px; border-bottom: 2px solid var(--line); padding-bottom: 4px; }
h3 { font-size: 15px; margin: 16px 0 6px; color: #444; }
h4 { font-size: 15px; margin: 0; }
.summary { display: flex; gap: 12px; flex-wrap: wrap; margin: 10px 0; }
.summary div { background: var(--soft); border-radius: 6px; padding: 8px 14px; min-width: 110px; }
.summary b { display: block; font-size: 20px; }
.summary .passed b { color: var(--ok); } .summary .failed b { color: var(--bad); } .summary .skipped b { color: var(--skip); }
.badge { display: inline-block; border-radius: 10px; padding: 0 8px; font-size: 12px; color: #fff; background: var(--skip); vertical-align: middle; }
.badge.passed { background: var(--ok); } .badge.failed, .badge.error, .badge.hook_error { background: var(--bad); }
.badge.SUCCEEDED { background: var(--ok); } .badge.FAILED, .badge.TIMED_OUT, .badge.ABORTED { background: var(--bad); }
.meta { color: #666; font-size: 12px; }
.description { white-space: pre-wrap; background: var(--soft); border-left: 4px solid #9bb; padding: 8px 12px; margin: 6px 0 10px; }
.toc ul { margin: 4px 0; }
.scenario { border: 1px solid var(--line); border-left: 5px solid var(--skip); border-radius: 6px; padding: 10px 14px; margin: 12px 0; }
.scenario.passed { border-left-color: var(--ok); } .scenario.failed, .scenario.error, .scenario.hook_error { border-left-color: var(--bad); }
table.steps { border-collapse: collapse; margin: 8px 0; width: 100%; }
table.steps td { padding: 2px 8px; border-bottom: 1px solid #eee; vertical-align: top; }
table.steps td.kw { font-weight: bold; width: 5em; color: #555; } table.steps td.dur { width: 7em; text-align: right; color: #666; }
table.steps tr.failed td { background: #fdecee; } table.steps tr.skipped td, table.steps tr.untested td { color: var(--skip); }
pre { background: #f3f3f3; padding: 8px 10px; border-radius: 4px; overflow-x: auto; font-size: 12px; margin: 4px 0; white-space: pre-wrap; word-break: break-word; }
pre.error { background: #fdecee; border-left: 4px solid var(--bad); }
.execution { margin-top: 10px; border-top: 1px dashed var(--line); padding-top: 8px; }
.path { font-size: 13px; } .path li.failed { color: var(--bad); font-weight: bold; } .path li.retried { color: var(--warn); }
.execution-body { display: flex; gap: 20px; align-items: flex-start; flex-wrap: wrap; }
.diagram { flex: 1 1 520px; min-width: 320px; max-width: 760px; border: 1px solid #eee; border-radius: 6px; padding: 6px; background: #fff; }
.diagram svg { max-width: 100%; height: auto; display: block; margin: 0 auto; }
.side { flex: 1 1 380px; min-width: 300px; }
.note { background: #fff6e0; border: 1px solid #f0d48a; padding: 8px 10px; border-radius: 4px; }
.failure-box { background: #fdecee; border: 1px solid #f3b7bf; padding: 6px 10px; border-radius: 4px; margin: 6px 0; }
table.timeline { border-collapse: collapse; width: 100%; font-size: 12px; }
table.timeline td, table.timeline th { padding: 2px 6px; text-align: left; }
table.timeline td.track { width: 45%; position: relative; background: repeating-linear-gradient(90deg, #f4f4f4 0 1px, transparent 1px 10%); }
table.timeline .bar { position: absolute; top: 4px; bottom: 4px; background: var(--ok); border-radius: 2px; }
table.timeline .bar.retried { background: var(--warn); } table.timeline .bar.failed { background: var(--bad); }
table.timeline td.dur { white-space: nowrap; color: #555; } table.timeline td.pos { color: #888; }
.legend span { display: inline-block; margin-right: 14px; font-size: 12px; }
.legend i { display: inline-block; width: 12px; height: 12px; border-radius: 3px; margin-right: 4px; vertical-align: -2px; border: 2px solid; }
.legend i.line { width: 26px; height: 0; border: 0; border-top: 3px solid; border-radius: 0; vertical-align: 3px; }
ul.uncovered li { color: var(--bad); }
details > summary { cursor: pointer; color: #345; margin: 4px 0; }
.badge.expected { background: #5b6b7a; }
.failure-box.expected { background: var(--soft); border-color: #c9d1d9; }
ul.criteria { margin: 4px 0 0 0; padding-left: 20px; }
details.feature > summary { list-style: none; } details.feature > summary::-webkit-details-marker { display: none; }
details.feature > summary h2::before { content: "▸ "; color: #888; } details.feature[open] > summary h2::before { content: "▾ "; }
.views a { margin-right: 12px; }
#failed-only:target ~ main .scenario:not(.failed):not(.error):not(.hook_error) { display: none; }
#failed-only:target ~ main details.feature[data-status="passed"], #failed-only:target ~ main details.feature[data-status="skipped"],
#failed-only:target ~ main #coverage, #failed-only:target ~ main h3.rule, #failed-only:target ~ nav.toc { display: none; }
#failed-only:target ~ main .failed-only-note { display: block; }
.failed-only-note { display: none; }
table.left-behind { border-collapse: collapse; margin: 6px 0; font-size: 13px; }
table.left-behind th, table.left-behind td { border: 1px solid #e3e3e3; padding: 3px 8px; text-align: left; vertical-align: top; }
table.left-behind th { background: var(--soft); font-weight: normal; color: #444; }
.skip-reason { color: var(--skip); font-style: italic; }
"""

LEGEND = (
    '<div class="legend"><span><i style="background:#dff3e4;border-color:#1b7f3b"></i>visited (step order)</span>'
    '<span><i style="background:#fbe3e6;border-color:#b00020"></i>failed, with error and cause</span>'
    '<span><i style="background:#f4f4f4;border-color:#b8b8b8;border-style:dashed"></i>not reached</span>'
    '<span><i style="background:#fff;border-color:#b26a00"></i>retried</span>'
    '<span><i style="background:#fff;border-color:#c0392b;border-style:dashed"></i>Catch transition</span></div>'
)


def esc(value: Any) -> str:
    return html.escape(str(value), quote=True)


def duration_text(seconds: float) -> str:
    return f"{seconds:.2f} s" if seconds < 120 else f"{int(seconds // 60)} min {seconds % 60:.0f} s"


def page(title: str, body: str) -> str:
    return (
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{esc(title)}</title><style>{CSS}</style></head><body>{body}</body></html>\n"
    )


def diagram_html(rendered: Rendered, data_execution: str = "") -> str:
    attr = f' data-execution="{esc(data_execution)}"' if data_execution else ""
    if rendered.svg is None:
        return f'<div class="diagram missing"{attr}><p class="note">{esc(rendered.note or "no diagram")}</p></div>'
    return f'<div class="diagram"{attr}>{rendered.svg}</div>'


def _steps_html(steps: list[StepRecord]) -> str:
    rows = []
    for step in steps:
        extra = ""
        if step.text:
            extra += f"<pre>{esc(step.text)}</pre>"
        if step.table:
            extra += "<pre>" + esc("\n".join(" | ".join(row) for row in step.table)) + "</pre>"
        rows.append(
            f'<tr class="{esc(step.status)}"><td class="kw">{esc(step.keyword)}</td><td>{esc(step.name)}{extra}</td>'
            f'<td><span class="badge {esc(step.status)}">{esc(step.status)}</span></td>'
            f'<td class="dur">{duration_text(step.duration_s)}</td></tr>'
        )
    return '<table class="steps">' + "".join(rows) + "</table>"


def _path_html(report: ExecutionReport, attempts: list[int]) -> str:
    items = []
    for visit, tries in zip(report.path, attempts):
        classes, note = [], ""
        if visit.failures:
            error, cause = visit.failures[-1]
            classes.append("failed")
            note = f" — failed{f' {len(visit.failures)}×' if len(visit.failures) > 1 else ''}: {error}" + (f": {cause}" if cause else "")
        if tries > 1:
            classes.append("retried")
            note += f" — {tries} attempts"
        items.append(f'<li class="{" ".join(classes)}">{esc(visit.name)}{esc(note)}</li>')
    return '<ol class="path">' + ("".join(items) or "<li>(no state entered)</li>") + "</ol>"


def _with_cause(error: str, cause: str | None) -> str:
    # A missed heartbeat has no cause: say nothing rather than "with States.Timeout:".
    return f"<b>{esc(error)}</b>" + (f": {esc(cause)}" if cause else " (no cause given)")


def execution_html(
    report: ExecutionReport, machine: Machine | None, prefix: str, renderer: Renderer,
    expected_failure: bool = False, time_scale: float = 1.0,
) -> str:
    """``expected_failure``: the scenario passed, so an execution that failed did what it expects."""
    name = report.arn.rsplit(":", 1)[-1]
    ended_badly = report.status in ("FAILED", "TIMED_OUT", "ABORTED")
    expected = expected_failure and ended_badly
    badge = (f'<span class="badge expected">{esc(report.status)} — as expected</span>' if expected
             else f'<span class="badge {esc(report.status)}">{esc(report.status)}</span>')
    parts = [
        f'<div class="execution{" expected-failure" if expected else ""}" data-execution="{esc(name)}" '
        f'data-status="{esc(report.status)}" data-path="{esc(" ".join(report.state_names))}">',
        f"<h4>Execution {esc(name)} {badge}</h4>",
    ]
    box = "failure-box expected" if expected else "failure-box"
    said = "Failed, as the scenario expects," if expected else "Failed"
    failed = report.failed_state
    if failed is not None:
        error, cause = failed.failures[-1]
        parts.append(f'<div class="{box}">{said} at <b>{esc(failed.name)}</b> with {_with_cause(error, cause)}</div>')
    elif report.error:
        parts.append(f'<div class="{box}">{said} with {_with_cause(report.error, report.cause)}</div>')
    parts.append('<div class="execution-body">')
    if machine is not None:
        parts.append(diagram_html(renderer(machine_dot(machine, overlay(machine, report), prefix)), name))
    else:
        parts.append('<div class="diagram missing"><p class="note">No state machine definition was given to draw on.</p></div>')
    attempts = visit_attempts(machine, report) if machine is not None else [v.attempts for v in report.path]
    parts.append('<div class="side"><h3>Path</h3>' + _path_html(report, attempts) + "<h3>Timeline</h3>" + timeline_html(report, attempts, time_scale))
    parts.append("<details><summary>Input and output</summary><pre>" + esc(redacted_json({"input": report.input, "output": report.output})) + "</pre></details>")
    parts.append("</div></div></div>")
    return "".join(parts)


def _ran_by(scenario: ScenarioRecord) -> str:
    # Only a run shared by several processes names them: it is where to look for the logs.
    return f' · run by <span class="ran-by">{esc(scenario.ran_by)}</span>' if scenario.ran_by else ""


def scenario_html(
    scenario: ScenarioRecord, anchor: str, machine: Machine | None, renderer: Renderer, time_scale: float = 1.0
) -> str:
    extras = scenario.extras
    parts = [
        f'<section class="scenario {esc(scenario.status)}" id="{esc(anchor)}" data-status="{esc(scenario.status)}" '
        f'data-name="{esc(scenario.name)}">',
        f'<h4>{esc(scenario.name)} <span class="badge {esc(scenario.status)}">{esc(scenario.status)}</span></h4>',
        f'<div class="meta">{esc(scenario.location)} · {duration_text(scenario.duration_s)}'
        + (f" · {' '.join('@' + esc(t) for t in scenario.tags)}" if scenario.tags else "")
        + _ran_by(scenario)
        + "</div>",
        _steps_html(scenario.steps),
    ]
    if scenario.failure:
        parts.append('<h3>Failing assertion</h3><pre class="error">' + esc(scenario.failure) + "</pre>")
    for note in extras.notes:
        parts.append(f'<p class="note">{esc(note)}</p>')
    for index, report in enumerate(extras.executions):
        parts.append(execution_html(report, machine, f"{anchor}-e{index}", renderer,
                                    expected_failure=scenario.status == "passed", time_scale=time_scale))
    if extras.log_tails:
        parts.append("<h3>App logs (last lines)</h3>")
        for app, tail in extras.log_tails.items():
            parts.append(f'<div class="log" data-app="{esc(app)}"><b>{esc(app)}</b><pre>{esc(tail)}</pre></div>')
    if extras.left_behind is not None:
        parts.append("<h3>What the scenario left behind</h3>" + left_behind_html(extras.left_behind)
                     + '<details class="left-behind-raw"><summary>Raw JSON</summary><pre>'
                     + esc(redacted_json(extras.left_behind)) + "</pre></details>")
    parts.append("</section>")
    return "".join(parts)


def description_html(lines: list[str]) -> str:
    """A feature's description: paragraphs, and its ``- `` lines (acceptance criteria) as a list,
    a criterion's wrapped lines joined to it."""
    parts: list[str] = []
    paragraph: list[str] = []
    items: list[str] = []

    def flush() -> None:
        if paragraph:
            parts.append("<p>" + esc(" ".join(paragraph)) + "</p>")
            paragraph.clear()
        if items:
            parts.append('<ul class="criteria">' + "".join(f"<li>{esc(item)}</li>" for item in items) + "</ul>")
            items.clear()

    for raw in lines:
        line = raw.strip()
        if not line:
            flush()
        elif line.startswith(("- ", "* ")):
            if paragraph:
                flush()
            items.append(line[2:].strip())
        elif items:
            items[-1] += " " + line
        else:
            paragraph.append(line)
    flush()
    return '<div class="description">' + "".join(parts) + "</div>"


def _cell(value: Any) -> str:
    if isinstance(value, dict):
        return left_behind_html(value)
    if isinstance(value, list):
        if all(not isinstance(v, (dict, list)) for v in value):
            return "<br>".join(esc(v) for v in value) or "<i>none</i>"
        return "".join(_cell(v) for v in value)
    return esc(value)


def left_behind_html(value: Any) -> str:
    """What a scenario left behind as a table of names and values, nested ones as tables in cells."""
    if not isinstance(value, dict):
        return f"<pre>{esc(redacted_json(value))}</pre>"
    rows = "".join(f"<tr><th>{esc(key)}</th><td>{_cell(item)}</td></tr>" for key, item in redacted(value).items())
    return f'<table class="left-behind">{rows}</table>'


def _skipped_html(scenario: ScenarioRecord, anchor: str) -> str:
    reason = scenario.skip_reason or "not selected for this run (its tags, paths or names)"
    return (
        f'<section class="scenario skipped" id="{esc(anchor)}" data-status="skipped" '
        f'data-name="{esc(scenario.name)}"><h4>{esc(scenario.name)} <span class="badge skipped">skipped</span></h4>'
        f'<div class="meta">{esc(scenario.location)}{_ran_by(scenario)}</div>'
        f'<p class="skip-reason">Skipped: {esc(reason)}</p></section>'
    )


def feature_html(
    feature: FeatureRecord, index: int, machine: Machine | None, renderer: Renderer, time_scale: float = 1.0
) -> str:
    # A <details> element: each feature folds away without any script.
    parts = [
        f'<details class="feature" id="feature-{index}" data-status="{esc(feature.status)}" open>',
        f'<summary><h2>{esc(feature.name)} <span class="badge {esc(feature.status)}">{esc(feature.status)}</span></h2></summary>',
        f'<div class="meta">{esc(feature.location)}'
        + (f" · {' '.join('@' + esc(t) for t in feature.tags)}" if feature.tags else "") + "</div>",
    ]
    if feature.description:
        parts.append(description_html(feature.description))
    rule = None
    for position, scenario in enumerate(feature.scenarios):
        if scenario.rule != rule and scenario.rule:
            parts.append(f'<h3 class="rule">Rule: {esc(scenario.rule)}</h3>')
        rule = scenario.rule
        if scenario.status == "skipped" and not scenario.extras.executions:
            parts.append(_skipped_html(scenario, _anchor(index, position)))
            continue
        parts.append(scenario_html(scenario, _anchor(index, position), machine, renderer, time_scale))
    parts.append("</details>")
    return "".join(parts)


def _anchor(feature_index: int, scenario_index: int) -> str:
    return f"scenario-{feature_index}-{scenario_index}"


def _toc(run: RunRecord) -> str:
    items = []
    for index, feature in enumerate(run.features):
        scenarios = "".join(
            f'<li><a href="#{_anchor(index, position)}">{esc(s.name)}</a> <span class="badge {esc(s.status)}">{esc(s.status)}</span></li>'
            for position, s in enumerate(feature.scenarios)
        )
        items.append(f'<li><a href="#feature-{index}">{esc(feature.name)}</a><ul>{scenarios}</ul></li>')
    return '<nav class="toc"><h3>Contents</h3><ul>' + "".join(items) + "</ul></nav>"


def report_html(run: RunRecord, renderer: Renderer = render_svg, coverage: Coverage | None = None) -> str:
    """The page; ``coverage``, when the caller has worked it out already, is not worked out again.

    With Graphviz's own renderer, the page is laid out once to learn which diagrams it draws,
    they are drawn side by side (``render_many``), and the page is laid out again with them."""
    if renderer is render_svg:
        wanted: list[str] = []
        _report_html(run, lambda source: wanted.append(source) or Rendered(""), coverage)
        drawn = render_many(wanted)
        return _report_html(run, lambda source: drawn.get(source) or render_svg(source), coverage)
    return _report_html(run, renderer, coverage)


def _report_html(run: RunRecord, renderer: Renderer, coverage: Coverage | None) -> str:
    machine = parse_machine(run.definition) if run.definition else None
    counts = run.counts()
    summary = "".join(
        f'<div class="{key}"><b>{value}</b>{label}</div>'
        for key, value, label in (
            ("passed", counts["passed"], "scenarios passed"),
            ("failed", counts["failed"], "scenarios failed"),
            ("skipped", counts["skipped"], "scenarios skipped"),
            ("stack", esc(run.stack), "stack"),
            ("duration", duration_text(run.duration_s), "duration"),
        )
    )
    header = (
        f"<header><h1>{esc(run.title)}</h1>"
        f'<div class="meta">Run started {esc(run.started.strftime("%Y-%m-%d %H:%M:%S %Z").strip())}</div>'
        f'<div class="summary" id="summary">{summary}</div>'
        + "".join(f'<p class="note run-note">{esc(note)}</p>' for note in run.notes)
        + time_scale_note(run.time_scale)
        + '<p class="views"><a href="#failed-only">Show only failed scenarios</a><a href="#">Show everything</a></p>'
        + f"{LEGEND}</header>"
    )
    features = "".join(
        feature_html(feature, index, machine, renderer, run.time_scale) for index, feature in enumerate(run.features)
    )
    coverage = run_coverage(run) if coverage is None else coverage
    covered = (
        coverage_html(coverage, diagram_html(renderer(machine_dot(coverage.machine, coverage_overlay(coverage), "coverage-map"))))
        if coverage is not None
        else ""
    )
    # The failed-only view is CSS alone: the link targets #failed-only, which hides what passed.
    shown = "Only failed scenarios are shown." if counts["failed"] else "No scenario failed in this run."
    failed_note = f'<p class="note failed-only-note">{shown} <a href="#">Show everything</a></p>'
    return page(run.title, header + f'<span id="failed-only"></span>{_toc(run)}<main>{failed_note}{covered}{features}</main>')


def time_scale_note(time_scale: float) -> str:
    if time_scale == 1.0:
        return ""
    factor = 1 / time_scale
    return (
        f'<p class="note time-scale">Timings in this run are scaled by TIME_SCALE = {time_scale:g}: every wait the '
        f"definition declares (Retry intervals, HeartbeatSeconds, TimeoutSeconds, Wait) and the apps' timings last "
        f"{time_scale:g} of their real length, so a 60 s heartbeat lasts {60 * time_scale:g} s here. Durations are as "
        f"measured; the timelines also give their real-time equivalents (× {factor:g}).</p>"
    )
