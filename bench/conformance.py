"""Conformance: the project's emulator and plain moto, each run through the AWS-recorded corpus.

``python bench/conformance.py`` starts ``python -m harness.stacks.emulator --port 0`` (our engine
additions) and a plain ``python -m moto.server`` (execution switched on through its config
endpoint), runs ``../shared/conformance/run.py`` against each, prints the per-category matches
side by side with the totals, and stops both servers (their logs stay beside the results).
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import subprocess
import sys
import tempfile
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

LOG = logging.getLogger("conformance")
REPO = Path(__file__).resolve().parent.parent
DEFAULT_RUNNER = REPO.parent / "shared" / "conformance" / "run.py"
START_DEADLINE_S = 60.0
sys.path.insert(0, str(REPO))

from harness.stacks.processes import ManagedProcess, free_port  # noqa: E402
from harness.waiting import wait_until  # noqa: E402


@contextmanager
def running(name: str, argv: list[str], env: dict[str, str], log_dir: Path) -> Iterator[ManagedProcess]:
    process = ManagedProcess(name, argv, env=env, log_path=log_dir / f"{name}.log", cwd=REPO)
    process.start()
    try:
        yield process
    finally:
        process.stop()


@contextmanager
def project_emulator(env: dict[str, str], log_dir: Path) -> Iterator[str]:
    argv = [sys.executable, "-m", "harness.stacks.emulator", "--port", "0"]
    with running("project-emulator", argv, env, log_dir) as process:
        yield process.wait_ready(START_DEADLINE_S)


def _answers(url: str) -> bool:
    try:
        urllib.request.urlopen(url, timeout=2).read()
        return True
    except OSError:
        return False


@contextmanager
def plain_moto(env: dict[str, str], log_dir: Path) -> Iterator[str]:
    port = free_port()
    endpoint = f"http://127.0.0.1:{port}"
    # MOTO_PORT lets moto's Step Functions call its own SQS/DynamoDB/S3 on this server.
    argv = [sys.executable, "-m", "moto.server", "-p", str(port)]
    with running("plain-moto", argv, {**env, "MOTO_PORT": str(port)}, log_dir):
        wait_until(lambda: _answers(endpoint + "/moto-api/"), timeout=START_DEADLINE_S,
                   awaited=f"plain moto to answer at {endpoint}", interval=0.2)
        enable_execution(endpoint)
        yield endpoint


def enable_execution(endpoint: str) -> None:
    """Switch plain moto's Step Functions from recording executions to running them."""
    body = json.dumps({"stepfunctions": {"execute_state_machine": True}}).encode()
    req = urllib.request.Request(endpoint + "/moto-api/config", data=body, method="POST",
                                 headers={"Content-Type": "application/json"})
    urllib.request.urlopen(req, timeout=10).read()


def run_corpus(runner: Path, endpoint: str, jobs: int, out_dir: Path, extra: list[str]) -> dict[str, dict[str, int]]:
    summary = out_dir / "summary.json"
    cmd = [sys.executable, str(runner), "--endpoint", endpoint, "--jobs", str(jobs),
           "--json", str(summary), "--out", str(out_dir), *extra]
    LOG.info("running %s", " ".join(cmd))
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    return json.loads(summary.read_text())


def side_by_side(ours: dict[str, dict[str, int]], plain: dict[str, dict[str, int]]) -> str:
    def cell(d: dict[str, dict[str, int]], c: str) -> str:
        if c not in d:
            return "-"
        m, n = d[c]["match"], d[c]["cases"]
        return f"{m}/{n} ({100.0 * m / n:.1f}%)" if n else "0/0"

    cats = [c for c in ours if c != "total"] + [c for c in plain if c not in ours and c != "total"]
    lines = [f"{'category':<18}{'project emulator':>22}{'plain moto':>22}"]
    lines += [f"{c:<18}{cell(ours, c):>22}{cell(plain, c):>22}" for c in cats + ["total"]]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runner", type=Path, default=DEFAULT_RUNNER)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--out", type=Path, default=None, help="keep run.py's results here")
    ap.add_argument("--only", choices=["project", "moto"], help="run one engine only")
    ap.add_argument("runner_args", nargs="*", help="passed to run.py after --, e.g. -- --category jsonata")
    a = ap.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    env = dict(os.environ)
    env.pop("SFN_MOCK_CONFIG", None)  # the corpus expects real integrations, not mocks
    out = a.out or Path(tempfile.mkdtemp(prefix="conformance-"))
    results: dict[str, dict[str, dict[str, int]]] = {"project": {}, "moto": {}}
    if a.only != "moto":
        with project_emulator(env, out) as endpoint:
            results["project"] = run_corpus(a.runner, endpoint, a.jobs, out / "project", a.runner_args)
    if a.only != "project":
        with plain_moto(env, out) as endpoint:
            results["moto"] = run_corpus(a.runner, endpoint, a.jobs, out / "moto", a.runner_args)
    print(side_by_side(results["project"], results["moto"]))
    print(f"results: {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
