"""The pipeline overview for a docs site: the whole state machine and an index of the features.

Runs nothing: it reads the pipeline declaration, the definition and the feature files.
"""

from __future__ import annotations

from pathlib import Path

from behave.parser import parse_file

from harness.pipeline import load_pipeline
from harness.report.dot import machine_dot
from harness.report.html import LEGEND, Renderer, diagram_html, esc, page
from harness.report.render import render_svg
from harness.statemachine.definition import load_json
from harness.statemachine.model import all_states, parse_machine


def _feature_index(feature_paths: list[Path], project_dir: Path) -> str:
    parts = []
    for path in feature_paths:
        feature = parse_file(str(path))
        if feature is None:
            continue
        tags = " ".join("@" + esc(tag) for tag in feature.tags)
        parts.append(
            f'<section class="feature"><h2>{esc(feature.name)}</h2>'
            f'<div class="meta">{esc(path.relative_to(project_dir))}{" · " + tags if tags else ""}</div>'
        )
        if feature.description:
            parts.append('<div class="description">' + esc("\n".join(feature.description)) + "</div>")
        rule = None
        parts.append("<ul>")
        for item in feature.walk_scenarios(with_rules=True):
            if type(item).__name__ == "Rule":
                rule = item.name
                parts.append(f'</ul><h3 class="rule">Rule: {esc(rule)}</h3><ul>')
                continue
            parts.append(f'<li class="scenario-entry">{esc(item.name)} <span class="meta">line {item.location.line}</span></li>')
        parts.append("</ul></section>")
    return "".join(parts)


def overview_html(pipeline_file: Path, features_dir: Path, renderer: Renderer = render_svg) -> str:
    pipeline = load_pipeline(pipeline_file)
    definition = load_json(pipeline.state_machine.definition)
    machine = parse_machine(definition)
    project_dir = pipeline_file.parent
    title = f"Pipeline overview: {pipeline.state_machine.name}"
    states = "".join(
        f"<li><b>{esc(state.name)}</b> <span class=\"meta\">{esc(state.state_type)}</span> {esc(state.comment)}</li>"
        for state in all_states(machine)
    )
    body = (
        f"<header><h1>{esc(title)}</h1><div class=\"description\">{esc(definition.get('Comment', ''))}</div>{LEGEND}</header>"
        "<main><h2>State machine</h2><div class=\"execution-body\">"
        + diagram_html(renderer(machine_dot(machine, None, "overview")))
        + f"<div class=\"side\"><h3>States</h3><ul class=\"states\">{states}</ul></div></div>"
        "<h2>Features and scenarios</h2>"
        + _feature_index(sorted(features_dir.glob("**/*.feature")), project_dir)
        + "</main>"
    )
    return page(title, body)


def write_overview(pipeline_file: Path, features_dir: Path, target: Path) -> Path:
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(overview_html(pipeline_file, features_dir), encoding="utf-8")
    return target
