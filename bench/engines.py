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

from bench.bench import BareCallbacks, drain, latencies, parent_and_cpu, percentile  # noqa: E402
from bench.conformance import START_DEADLINE_S, _answers, enable_execution, running  # noqa: E402
from harness.aws_clients import AwsTarget, Clients  # noqa: E402
from harness.stacks.processes import free_port  # noqa: E402
from harness.waiting import wait_until  # noqa: E402

ANSWERERS = 4  # threads answering the tasks, as several app processes would


@contextmanager
def plain_moto(env: dict[str, str], log_dir: Path) -> Iterator[tuple[str, int | None]]:
    port = free_port()
    endpoint = f"http://127.0.0.1:{port}"
    argv = [sys.executable, "-m", "moto.server", "-p", str(port)]
    with running("plain-moto", argv, {**env, "MOTO_PORT": str(port)}, log_dir) as process:
        # Looked at often: the start-up time is one of the figures.
        wait_until(lambda: _answers(endpoint + "/moto-api/"), timeout=START_DEADLINE_S,
                   awaited=f"plain moto to answer at {endpoint}", interval=0.01)
        enable_execution(endpoint)
        yield endpoint, process.pid


@contextmanager
def project_emulator(env: dict[str, str], log_dir: Path) -> Iterator[tuple[str, int | None]]:
    argv = [sys.executable, "-m", "harness.stacks.emulator", "--port", "0"]
    with running("project-emulator", argv, env, log_dir) as process:
        yield process.wait_ready(START_DEADLINE_S), process.pid


@contextmanager
def already_running(endpoint: str) -> Iterator[tuple[str, int | None]]:
    yield endpoint, None


def cpu_seconds(pid: int | None) -> float | None:
    """User + system seconds the process has used (Linux's /proc); None where that cannot be read."""
    if pid is None:
        return None
    try:
        return parent_and_cpu(pid)[1]
    except (OSError, ValueError, IndexError):
        return None


Starter = Callable[[], AbstractContextManager[tuple[str, int | None]]]


def measure(name: str, start: Starter, runs: int, burst: int) -> dict[str, float]:
    began = time.perf_counter()
    with start() as (endpoint, pid):
        ready = time.perf_counter() - began
        clients = Clients(AwsTarget("us-east-1", endpoint))
        bare = BareCallbacks(clients, answerers=ANSWERERS)
        try:
            sfn = clients.stepfunctions
            latencies(bare.run, sfn, 2, 60)  # warms each engine's first-execution paths
            samples = latencies(bare.run, sfn, runs, 60)
            cpu_before = cpu_seconds(pid)
            drained = drain(bare.run, sfn, burst, 600)
            cpu_after = cpu_seconds(pid)
        finally:
            bare.close()
    figures = {"ready_s": ready, "median_ms": statistics.median(samples) * 1000,
               "p95_ms": percentile(samples, 0.95) * 1000, "burst_s": drained, "per_s": burst / drained}
    cpu = ""
    if cpu_before is not None and cpu_after is not None:
        figures["cpu_ms"] = (cpu_after - cpu_before) / burst * 1000
        cpu = f", server CPU {figures['cpu_ms']:.0f} ms/execution"
    print(f"  {name:<18} ready {ready:5.2f} s  median {figures['median_ms']:4.0f} ms  p95 {figures['p95_ms']:4.0f} ms  "
          f"burst of {burst} in {drained:5.2f} s ({figures['per_s']:.1f} executions/s{cpu})", flush=True)
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
    engines: list[tuple[str, Starter]] = [
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
            cpu = ""
            if "cpu_ms" in figures and "cpu_ms" in base:
                cpu = f", CPU per execution {figures['cpu_ms'] / base['cpu_ms']:.2f}x"
            print(f"  {name} / plain moto: median {figures['median_ms'] / base['median_ms']:.2f}x, "
                  f"throughput {figures['per_s'] / base['per_s']:.2f}x, ready {figures['ready_s'] / base['ready_s']:.2f}x{cpu}")


if __name__ == "__main__":
    main()
