"""Every command line prints real help, and refuses bad use with status 2 and an error line,
before it starts or writes anything."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

PROJECT_DIR = Path(__file__).resolve().parent.parent
HELP = [
    ("harness", "python -m harness"),
    ("harness offline-aws", "python -m harness offline-aws"),
    ("harness cleanup", "python -m harness cleanup"),
    ("harness parallel", "python -m harness parallel"),
    ("workers.ingest", "python -m workers.ingest"),
    ("workers.dispatcher", "python -m workers.dispatcher"),
    ("workers.utilities", "python -m workers.utilities"),
    ("workers.validator", "python -m workers.validator"),
    ("workers.redrive", "python -m workers.redrive"),
]
BAD_USE = ["harness bogus", "harness offline-aws --bogus", "harness parallel --bogus", "harness parallel -n 0",
           "harness cleanup", "workers.ingest --bogus", "workers.validator extra", "workers.redrive"]


def _run(command: str, cwd: Path) -> subprocess.CompletedProcess:
    # An empty environment but PATH: nothing to reach, no queue named; help must not need any.
    return subprocess.run([sys.executable, "-m", *command.split()], cwd=cwd, capture_output=True, text=True,
                          timeout=60, env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(PROJECT_DIR)})


def _files(folder: Path) -> set[Path]:
    return {path for path in folder.rglob("*") if "__pycache__" not in path.parts}


@pytest.mark.parametrize("command,usage", HELP)
def test_help_says_how_to_use_it(command: str, usage: str) -> None:
    done = _run(command + " --help", PROJECT_DIR)
    assert done.returncode == 0, done.stderr
    assert f"usage: {usage}" in done.stdout


@pytest.mark.parametrize("command", BAD_USE)
def test_bad_use_is_refused_with_status_2_and_no_side_effect(command: str, tmp_path: Path) -> None:
    for name in ("pyproject.toml", "pipeline.json", "test-definition.json"):
        (tmp_path / name).write_text((PROJECT_DIR / name).read_text())
    before = _files(tmp_path)
    done = _run(command, tmp_path)
    assert done.returncode == 2, done.stdout + done.stderr
    assert "error:" in done.stderr.strip().splitlines()[-1]
    assert "Traceback" not in done.stderr
    assert _files(tmp_path) == before
