"""A report's diagrams are drawn side by side, each distinct one once, and the page is the same
as when they are drawn one after the other."""

from __future__ import annotations

import threading
import time

import pytest

from harness.report import html, render
from harness.report.render import Rendered, render_many
from tests.report_samples import sample_run


class FakeDot:
    """Stands in for Graphviz: each drawing takes a while; it counts drawings and overlaps."""

    def __init__(self) -> None:
        self.drawn: list[str] = []
        self.busy = 0
        self.most_at_once = 0
        self.lock = threading.Lock()

    def __call__(self, source: str) -> Rendered:
        with self.lock:
            self.busy += 1
            self.most_at_once = max(self.most_at_once, self.busy)
            self.drawn.append(source)
        time.sleep(0.05)
        with self.lock:
            self.busy -= 1
        return Rendered(f"<svg data-length='{len(source)}'>{abs(hash(source))}</svg>")


@pytest.fixture
def dot(monkeypatch: pytest.MonkeyPatch) -> FakeDot:
    fake = FakeDot()
    monkeypatch.setattr(render, "render_svg", fake)
    return fake


def test_each_distinct_diagram_is_drawn_once_and_several_at_a_time(dot: FakeDot) -> None:
    drawn = render_many(["a", "b", "a", "c", "d"], at_once=2)
    assert sorted(dot.drawn) == ["a", "b", "c", "d"]
    assert dot.most_at_once == 2
    assert set(drawn) == {"a", "b", "c", "d"} and drawn["a"].svg == dot("a").svg


def test_one_at_a_time_when_asked(dot: FakeDot) -> None:
    render_many(["a", "b", "c"], at_once=1)
    assert dot.most_at_once == 1


def test_the_page_is_the_one_drawn_diagram_by_diagram(dot: FakeDot, monkeypatch: pytest.MonkeyPatch) -> None:
    run = sample_run()
    one_by_one = html.report_html(run, renderer=dot)
    dot.drawn.clear()
    side_by_side = html.report_html(run)  # Graphviz's renderer: the diagrams drawn side by side
    assert side_by_side == one_by_one
    assert len(dot.drawn) == len(set(dot.drawn)) > 1
