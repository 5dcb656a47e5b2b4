"""An ASL graph as Graphviz DOT, optionally with one execution's path drawn on it.

Every state node gets an ``id`` and CSS classes (``state``, ``visited``, ``failed``, ``unreached``)
that survive into the SVG, so the page's style and the browser tests can find them.
"""

from __future__ import annotations

import html
import re

from harness.report.path import PathOverlay, RetryOutcome
from harness.statemachine.model import Machine, RetryRule, StateNode, Transition

FONT = "DejaVu Sans,Helvetica,Arial,sans-serif"
# Colours: green for the path taken, red for the failure, amber for retries, grey for the rest.
TAKEN = "#1b7f3b"
FAILED = "#b00020"
RETRIED = "#b26a00"
IDLE = "#9a9a9a"
# What an execution, or the whole run, did not take: pale, so the taken edges stand out.
UNTAKEN = "#c8c8c8"
CAUGHT = "#c0392b"
LABEL_CHARS = 48
LOOP_PORTS = ("e", "w", "ne", "nw")


def slug(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9_-]", "_", name)


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def _attrs(**values: str) -> str:
    return "[" + ", ".join(f"{key}={value if value.startswith('<') else _quote(value)}" for key, value in values.items()) + "]"


def _short(text: str, limit: int = LABEL_CHARS) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _errors_text(errors: tuple[str, ...], limit: int = 28) -> str:
    # One error name keeps the loop's label short; the tooltip has them all.
    more = f" +{len(errors) - 1}" if len(errors) > 1 else ""
    return f"{_short(errors[0] if errors else '?', limit)}{more}"


def _retry_label(rule: RetryRule, outcome: RetryOutcome | None) -> str:
    """What one Retry rule's loop says: the errors that fired it, or those it would retry."""
    if outcome is None:
        return f"retry on {_errors_text(rule.errors)} ≤{rule.max_attempts}×"
    if outcome.caption:
        return f"retried on {_errors_text(outcome.errors or rule.errors)}\n{outcome.caption}"
    return f"retried {outcome.times}× on {_errors_text(outcome.errors)}"


class DotWriter:
    def __init__(self, machine: Machine, overlay: PathOverlay | None, prefix: str) -> None:
        self.machine = machine
        self.overlay = overlay
        self.prefix = prefix
        self.lines: list[str] = []

    def node_id(self, name: str) -> str:
        """The SVG element id of a state; its DOT name (and SVG title) stays the state's own name."""
        return f"{self.prefix}-state-{slug(name)}"

    def write(self) -> str:
        self.lines = [
            f"digraph {_quote(self.prefix)} {{",
            f"  graph {_attrs(id=self.prefix, rankdir='TB', nodesep='0.35', ranksep='0.45', fontname=FONT, bgcolor='transparent')};",
            f"  node {_attrs(fontname=FONT, fontsize='11', shape='box', style='rounded,filled', margin='0.15,0.06')};",
            f"  edge {_attrs(fontname=FONT, fontsize='9', arrowsize='0.7')};",
        ]
        self._machine(self.machine, "  ")
        self.lines.append("}")
        return "\n".join(self.lines) + "\n"

    def _machine(self, machine: Machine, indent: str) -> None:
        start = f"{self.prefix}-start-{slug(machine.path or 'root')}"
        end = f"{self.prefix}-end-{slug(machine.path or 'root')}"
        self.lines.append(
            f"{indent}{_quote(start)} {_attrs(id=start, label='', shape='circle', width='0.18', style='filled', fillcolor='#333333', color='#333333', tooltip='start', **{'class': 'marker'})};"
        )
        self.lines.append(
            f"{indent}{_quote(end)} {_attrs(id=end, label='', shape='doublecircle', width='0.14', style='filled', fillcolor='#333333', color='#333333', tooltip='end', **{'class': 'marker'})};"
        )
        started = self.overlay is not None and self.overlay.visited(machine.start_at)
        self._edge(start, machine.start_at, "start", "", started)
        for node in machine.states:
            self._node(node, indent)
            if node.ends:
                self._edge(node.name, end, "end", "", self._visited(node.name))
        for transition in machine.transitions:
            self._transition(transition)
        for child in machine.children:
            cluster = f"cluster_{slug(child.path)}"
            self.lines.append(f"{indent}subgraph {_quote(cluster)} {{")
            self.lines.append(f"{indent}  graph {_attrs(label=child.path.split('.', 1)[-1], style='rounded,dashed', color=IDLE, fontsize='9')};")
            self._machine(child, indent + "  ")
            self.lines.append(f"{indent}}}")
            child_start = f"{self.prefix}-start-{slug(child.path)}"
            self.lines.append(
                f"{indent}{_quote(child.owner or '')} -> {_quote(child_start)} {_attrs(style='dotted', color=IDLE, arrowhead='none')};"
            )

    def _visited(self, name: str) -> bool:
        return self.overlay is not None and self.overlay.visited(name)

    def _node(self, node: StateNode, indent: str) -> None:
        classes = ["state", f"type-{node.state_type.lower()}"]
        lines = [f"<B>{html.escape(node.name)}</B>", f'<FONT POINT-SIZE="9" COLOR="#555555">{html.escape(node.state_type)}</FONT>']
        fill, border, style, pen, font = "#ffffff", "#555555", "rounded,filled", "1", "#000000"
        tooltip = node.comment or node.name
        outcome = self.overlay.outcomes.get(node.name) if self.overlay else None
        if self.overlay is not None and outcome is None:
            classes.append("unreached")
            fill, border, style, font = "#f4f4f4", "#b8b8b8", "rounded,filled,dashed", "#8a8a8a"
            lines[1] = '<FONT POINT-SIZE="9" COLOR="#8a8a8a">not reached</FONT>'
            tooltip += " (not reached)"
        elif outcome is not None:
            classes.append("visited")
            fill, border, pen = "#dff3e4", TAKEN, "2"
            steps = ", ".join(str(i) for i in outcome.order)
            detail = outcome.caption or (f"step {steps}" if len(outcome.order) == 1 else f"steps {steps}")
            if outcome.attempts > 1:
                detail += f" · {outcome.attempts} attempts"
            lines.append(f'<FONT POINT-SIZE="9" COLOR="{TAKEN}">{html.escape(detail)}</FONT>')
            if node.state_type == "Fail":
                # Reaching a Fail state ends the execution in failure: never drawn as a good outcome.
                classes.append("end-failed")
                fill, border = "#fbe3e6", FAILED
            if outcome.failed:
                classes.append("failed")
                error, cause = outcome.failures[-1]
                fill, border, pen = "#fbe3e6", FAILED, "2.5"
                lines.append(f'<FONT POINT-SIZE="9" COLOR="{FAILED}">✗ {html.escape(_short(error))}</FONT>')
                if cause:  # a missed heartbeat has none, and Graphviz refuses an empty FONT
                    lines.append(f'<FONT POINT-SIZE="8" COLOR="{FAILED}">{html.escape(_short(cause))}</FONT>')
                tooltip += f"\nfailed with {error}: {cause}"
        if node.state_type == "Choice":
            shape = "diamond"
        else:
            shape = "box"
        if node.state_type in ("Succeed", "Fail"):
            style += ",bold"
        label = "<" + "<BR/>".join(lines) + ">"
        self.lines.append(
            f"{indent}{_quote(node.name)} "
            + _attrs(
                id=self.node_id(node.name), label=label, shape=shape, style=style, fillcolor=fill, color=border,
                penwidth=pen, fontcolor=font, tooltip=tooltip, **{"class": " ".join(classes)}
            )
            + ";"
        )
        for index, rule in enumerate(node.retries):
            self._retry_loop(node, index, rule)

    def _retry_loop(self, node: StateNode, index: int, rule: RetryRule) -> None:
        """One loop per Retry rule, so the rule that fired is the one drawn as taken."""
        outcome = self.overlay.retries.get((node.name, index)) if self.overlay else None
        attrs = {"style": "dotted", "color": IDLE, "fontcolor": "#666666", "dir": "back", "class": "retry"}
        if self.overlay is not None and outcome is None:
            attrs.update(style="dashed", color=UNTAKEN, fontcolor=UNTAKEN, **{"class": "retry untaken"})
        elif outcome is not None:
            attrs.update(style="solid", color=RETRIED, fontcolor=RETRIED, penwidth="2.5", **{"class": "retry taken"})
        attrs["tooltip"] = f"Retry {rule.label()}"
        # Each rule's loop on its own side of the state, so two loops do not draw over each other.
        port = LOOP_PORTS[index % len(LOOP_PORTS)]
        name = _quote(node.name)
        self.lines.append(f"  {name}:{port} -> {name}:{port} {_attrs(label=_retry_label(rule, outcome), **attrs)};")

    def _transition(self, transition: Transition) -> None:
        taken = self.overlay is not None and (transition.source, transition.target, transition.kind) in self.overlay.taken
        self._edge(transition.source, transition.target, transition.kind, transition.label, taken)

    def _edge(self, source: str, target: str, kind: str, label: str, taken: bool) -> None:
        attrs = {"class": f"transition {kind}", "color": "#555555"}
        if kind == "catch":
            attrs.update(style="dashed", color=CAUGHT, fontcolor=CAUGHT)
        if label:
            attrs["label"] = _short(label, 32)
            attrs["tooltip"] = label
        if self.overlay is not None:
            # At a glance: what was taken is drawn thick and solid, what was not thin, dashed and pale.
            if taken:
                attrs.update(style="solid", color=FAILED if kind == "catch" else TAKEN, penwidth="2.5")
                attrs["class"] += " taken"
            else:
                attrs.update(style="dashed", color=UNTAKEN, fontcolor=UNTAKEN, penwidth="1")
                attrs["class"] += " untaken"
        self.lines.append(f"  {_quote(source)} -> {_quote(target)} {_attrs(**attrs)};")


def machine_dot(machine: Machine, overlay: PathOverlay | None = None, prefix: str = "sm") -> str:
    """DOT source for the machine; with an overlay, the execution's path is drawn on it."""
    return DotWriter(machine, overlay, slug(prefix)).write()
