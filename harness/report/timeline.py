"""The state durations of one execution as horizontal bars on a shared time axis (HTML, no script)."""

from __future__ import annotations

import html
from dataclasses import dataclass

from harness.statemachine.executions import ExecutionReport

# A state that never exited (the execution was cut short) still gets a sliver, so it is seen.
MIN_WIDTH_PERCENT = 0.6


@dataclass(frozen=True)
class Bar:
    name: str
    offset_ms: float
    duration_ms: float | None
    attempts: int
    failed: bool

    @property
    def duration_text(self) -> str:
        if self.duration_ms is None:
            return "not ended"
        return f"{self.duration_ms / 1000:.2f} s" if self.duration_ms >= 1000 else f"{self.duration_ms:.0f} ms"


def bars(report: ExecutionReport, attempts: list[int] | None = None) -> list[Bar]:
    """One bar per visit; ``attempts`` per visit when the caller knows better than the history."""
    if not report.path:
        return []
    origin = report.path[0].entered
    tries = attempts or [visit.attempts for visit in report.path]
    return [
        Bar(
            name=visit.name,
            offset_ms=(visit.entered - origin).total_seconds() * 1000,
            duration_ms=visit.duration_ms,
            attempts=count,
            failed=bool(visit.failures) and count == len(visit.failures),
        )
        for visit, count in zip(report.path, tries)
    ]


def _span_ms(rows: list[Bar]) -> float:
    return max((bar.offset_ms + (bar.duration_ms or 0) for bar in rows), default=0.0) or 1.0


def real_time_text(duration_ms: float | None, time_scale: float) -> str:
    """What a scaled duration would have lasted at real timings, when the run was scaled."""
    if duration_ms is None or time_scale == 1.0 or time_scale <= 0:
        return ""
    seconds = duration_ms / 1000 / time_scale
    return f" (≈ {seconds:.1f} s real)" if seconds < 120 else f" (≈ {seconds / 60:.1f} min real)"


def timeline_html(report: ExecutionReport, attempts: list[int] | None = None, time_scale: float = 1.0) -> str:
    rows = bars(report, attempts)
    if not rows:
        return '<p class="timeline-empty">No state was entered.</p>'
    span = _span_ms(rows)
    out = ['<table class="timeline"><thead><tr><th>#</th><th>State</th><th>Time</th><th>Duration</th></tr></thead><tbody>']
    for position, bar in enumerate(rows, start=1):
        left = 100 * bar.offset_ms / span
        width = max(MIN_WIDTH_PERCENT, 100 * (bar.duration_ms or 0) / span)
        width = min(width, 100 - left) if left < 100 else MIN_WIDTH_PERCENT
        classes = "bar" + (" failed" if bar.failed else "") + (" retried" if bar.attempts > 1 else "")
        note = f" · {bar.attempts} attempts" if bar.attempts > 1 else ""
        note += " · failed" if bar.failed else ""
        out.append(
            f'<tr><td class="pos">{position}</td><td class="name">{html.escape(bar.name)}</td>'
            f'<td class="track"><span class="{classes}" style="left:{left:.2f}%;width:{width:.2f}%" '
            f'title="{html.escape(bar.name)}: {bar.duration_text}{note}"></span></td>'
            f'<td class="dur">{bar.duration_text}{real_time_text(bar.duration_ms, time_scale)}{html.escape(note)}</td></tr>'
        )
    out.append("</tbody></table>")
    return "".join(out)
