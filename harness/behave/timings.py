"""How long each scenario took last time, so a parallel run can deal out equal shares of time.

Every run writes ``<REPORTS_DIR>/scenario-timings.json``: the ``file:line`` that runs a scenario
(an outline's example by its row's line) -> seconds, updated with what ran this time and keeping
the rest. ``python -m harness parallel`` deals the longest first, each to the process with the least time
so far; a scenario never timed counts as the median of those that were.
"""

from __future__ import annotations

import json
import logging
import statistics
from collections import defaultdict
from pathlib import Path

from harness.files import write_whole
from harness.report.records import FAILED, RunRecord

log = logging.getLogger(__name__)

TIMINGS_FILE = "scenario-timings.json"
RAN = ("passed", *FAILED)


def timings_of(record: RunRecord) -> dict[str, float]:
    seconds: dict[str, float] = defaultdict(float)
    for scenario in record.scenarios():
        if scenario.status in RAN:
            seconds[scenario.run_location] += scenario.duration_s
    return dict(seconds)


def load_timings(path: Path) -> dict[str, float]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except ValueError as exc:
        log.warning("ignoring the unreadable %s: %s", path, exc)
        return {}
    return {str(k): float(v) for k, v in data.items() if isinstance(v, (int, float))}


def update_timings(path: Path, timings: dict[str, float]) -> None:
    merged = {**load_timings(path), **timings}
    path.parent.mkdir(parents=True, exist_ok=True)
    write_whole(path, json.dumps(merged, indent=1, sort_keys=True))


def deal_by_time(locations: list[str], count: int, timings: dict[str, float]) -> list[list[str]]:
    """``count`` hands of about equal time, each in the order the locations came in."""
    known = [timings[location] for location in locations if location in timings]
    guess = statistics.median(known) if known else 1.0
    order = {location: position for position, location in enumerate(locations)}
    hands: list[list[str]] = [[] for _ in range(count)]
    loads = [0.0] * count
    for location in sorted(locations, key=lambda loc: -timings.get(loc, guess)):
        lightest = loads.index(min(loads))
        hands[lightest].append(location)
        loads[lightest] += timings.get(location, guess)
    return [sorted(hand, key=order.__getitem__) for hand in hands]
