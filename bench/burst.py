"""Drain time of a burst: N filing requests sent at once, on a fresh embedded stack.

    python bench/burst.py [--requests 200] [--time-scale 1]

Prints the drain time (first request sent to last execution ended), the throughput, and the
counts that show every request was done exactly once; exits 1 if any count is off. Real
timings by default: at a scaled-down time the queue backlog alone outlasts HeartbeatSeconds.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_DIR))

from harness.statemachine import burst  # noqa: E402
from steps import filing_burst  # noqa: E402
from harness.settings import load_settings  # noqa: E402
from harness.stacks import open_stack  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--time-scale", default="1")
    parser.add_argument("--timeout", type=float, default=600.0, help="give up after this many seconds")
    args = parser.parse_args(argv)
    if not 1 <= args.requests <= 1000:  # bounded: this runs on a shared two-core machine
        parser.error("--requests must be between 1 and 1000")

    settings = load_settings(PROJECT_DIR, {"TIME_SCALE": args.time_scale, "REPORTS_DIR": "reports/bench-burst"})
    with open_stack(settings) as stack:
        placeholders, machine = stack.provisioned.placeholders, stack.provisioned.state_machine_arn
        tag = burst.new_tag()
        dead_letters_before = burst.queue_depths(stack.aws, burst.dead_letter_urls(placeholders))
        began = time.monotonic()
        burst.send_burst(stack.aws, placeholders["RequestQueueUrl"], filing_burst.burst_requests(tag, args.requests))
        sent = time.monotonic() - began
        burst.wait_for_drain(stack.aws, machine, tag, args.requests, args.timeout)
        drained = time.monotonic() - began
        counts = filing_burst.count_burst(stack.aws, placeholders, machine, tag, args.requests, dead_letters_before)

    print(f"burst of {args.requests} requests at time scale {args.time_scale}")
    print(f"  sent in        {sent:8.2f} s")
    print(f"  drained in     {drained:8.2f} s  ({args.requests / drained:.1f} requests/s)")
    print(f"  executions     {dict(counts.executions)}  duplicates {counts.duplicate_executions}")
    print(f"  items          {counts.items} ({counts.complete_items} COMPLETE)")
    print(f"  objects        {counts.objects} (expected {2 * args.requests})")
    print(f"  dead letters   {counts.dead_letters_added} added")
    print("  exact          " + ("yes" if counts.exact() else "NO"))
    return 0 if counts.exact() else 1


if __name__ == "__main__":
    sys.exit(main())
