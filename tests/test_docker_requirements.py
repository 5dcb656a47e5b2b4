"""The images install what the project pins, and no more."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "docker"))

import requirements  # noqa: E402


def test_the_images_get_the_project_dependencies_without_the_dev_extra() -> None:
    found = requirements.requirements(ROOT, [])
    assert any(line.startswith("moto[server]==") for line in found)
    assert not any(line.startswith("pytest") for line in found)


def test_nothing_is_installed_without_its_dependencies() -> None:
    # Every pin installs with its dependencies, so `pip check` holds in the venv and the image.
    assert "--no-deps" not in (ROOT / "Makefile").read_text()
    assert "--no-deps" not in (ROOT / "Dockerfile").read_text()
