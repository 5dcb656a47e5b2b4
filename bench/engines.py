"""The same three-callback state machine on plain moto and on the project's emulator, side by side.

    python bench/engines.py [--runs 20] [--burst 50] [--engine NAME=URL ...]

Each engine is started here (plain moto 5.2.5's ``python -m moto.server``, execution switched on
through its config endpoint; the project's ``python -m harness.stacks.emulator``), timed to its
first answer, then given the machine of ``bench/bench.py``'s bare figures (three
``sqs:sendMessage.waitForTaskToken`` tasks answered by this script): the median and p95 of
one execution start to end, then a burst started at once and drained (executions/s). ``--engine``
adds an endpoint already running (another emulator) to the table. Figures, not verdicts.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT))

from bench.bench import BareCallbacks, drain, latencies, percentile  # noqa: E402
from bench.conformance import plain_moto, project_emulator  # noqa: E402
from harness.aws_clients import AwsTarget, Clients  # noqa: E402


@contextmanager
def already_running(endpoint: str) -> Iterator[str]:
    yield endpoint


def measure(name: str, start: Callable[[], AbstractContextManager[str]], runs: int, burst: int) -> dict[str, float]:
    began = time.perf_counter()
    with start() as endpoint:
        ready = time.perf_counter() - began
        clients = Clients(AwsTarget("us-east-1", endpoint))
        bare = BareCallbacks(clients)
        try:
            sfn = clients.stepfunctions
            latencies(bare.run, sfn, 2, 60)  # warms each engine's first-execution paths
            samples = latencies(bare.run, sfn, runs, 60)
            drained = drain(bare.run, sfn, burst, 600)
        finally:
            bare.close()
    figures = {"ready_s": ready, "median_ms": statistics.median(samples) * 1000,
               "p95_ms": percentile(samples, 0.95) * 1000, "burst_s": drained, "per_s": burst / drained}
    print(f"  {name:<18} ready {ready:5.2f} s  median {figures['median_ms']:4.0f} ms  p95 {figures['p95_ms']:4.0f} ms  "
          f"burst of {burst} in {drained:5.2f} s ({figures['per_s']:.1f} executions/s)", flush=True)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--burst", type=int, default=50)
    parser.add_argument("--engine", action="append", default=[], metavar="NAME=URL",
                        help="an engine already listening, e.g. other=http://127.0.0.1:4566")
    args = parser.parse_args()
    env = dict(os.environ)
    env.pop("SFN_MOCK_CONFIG", None)
    env.pop("SFN_TIME_SCALE", None)  # real timings on both
    logs = Path(tempfile.mkdtemp(prefix="bench-engines-"))
    engines: list[tuple[str, Callable[[], AbstractContextManager[str]]]] = [
        ("plain moto", lambda: plain_moto(env, logs)),
        ("project emulator", lambda: project_emulator(env, logs)),
    ]
    for given in args.engine:
        name, _, url = given.partition("=")
        if not url.startswith("http"):
            parser.error(f"--engine wants NAME=URL, got {given!r}")
        engines.append((name, lambda url=url: already_running(url)))
    print(f"three-task callback machine, {args.runs} runs, burst of {args.burst} (logs: {logs})")
    results = {name: measure(name, start, args.runs, args.burst) for name, start in engines}
    base = results["plain moto"]
    for name, figures in results.items():
        if name != "plain moto":
            print(f"  {name} / plain moto: median {figures['median_ms'] / base['median_ms']:.2f}x, "
                  f"throughput {figures['per_s'] / base['per_s']:.2f}x, ready {figures['ready_s'] / base['ready_s']:.2f}x")


if __name__ == "__main__":
    main()
