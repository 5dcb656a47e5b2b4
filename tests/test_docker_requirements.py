"""The images install what the project pins, and no more."""

from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "docker"))

import requirements  # noqa: E402


def test_the_images_get_the_project_dependencies_without_the_dev_extra() -> None:
    found = requirements.requirements(ROOT, [])
    assert any(line.startswith("moto[server]==") for line in found)
    assert not any(line.startswith("pytest") for line in found)


def test_the_no_deps_pins_match_the_makefile() -> None:
    lines = (ROOT / "docker" / "requirements-no-deps.txt").read_text().splitlines()
    pins = [line for line in lines if line and not line.startswith("#")]
    makefile = (ROOT / "Makefile").read_text()
    for pin in pins:
        assert re.search(rf"--no-deps\b.*\b{re.escape(pin)}\b", makefile), pin
