"""`python -m harness check`: a pipeline whose program does not exist is not called valid."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parent.parent


def project_copy(tmp_path: Path, app_module: str | None = None, service_module: str | None = None) -> Path:
    """The project's declaration, definition and programs, with one module name changed."""
    for name in ("pipeline.json", "test-definition.json"):
        shutil.copy(PROJECT / name, tmp_path / name)
    for package in ("workers", "sec_api_standin"):
        shutil.copytree(PROJECT / package, tmp_path / package, ignore=shutil.ignore_patterns("__pycache__"))
    declaration = json.loads((tmp_path / "pipeline.json").read_text())
    if app_module:
        declaration["apps"]["ingest"]["module"] = app_module
    if service_module:
        next(iter(declaration["services"].values()))["module"] = service_module
    (tmp_path / "pipeline.json").write_text(json.dumps(declaration))
    return tmp_path


def check(project: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "harness", "check", "--project-dir", str(project)],
        capture_output=True, text=True, cwd=project, timeout=60,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(PROJECT)},
    )


def test_the_project_as_it_is_passes(tmp_path: Path) -> None:
    result = check(project_copy(tmp_path))
    assert (result.returncode, result.stdout.strip()) == (0, "pipeline.json and its definition are valid")


@pytest.mark.parametrize(
    "changed, named",
    [
        ({"app_module": "workers.ingets"}, "app ingest: no module 'workers.ingets'"),
        ({"app_module": "nowhere.ingest"}, "app ingest: no module 'nowhere.ingest'"),
        ({"service_module": "sec_api_standout"}, "service sec-api: no module 'sec_api_standout'"),
    ],
)
def test_a_program_that_does_not_exist_fails_the_check_by_name(tmp_path: Path, changed: dict, named: str) -> None:
    result = check(project_copy(tmp_path, **changed))
    assert result.returncode == 2
    assert named in result.stderr
