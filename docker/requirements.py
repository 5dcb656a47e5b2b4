"""Prints the project's pinned requirements, one per line, for pip.

The wheel download on the host and the image build read the same list from here, so the
packages baked into the images are exactly those the project pins. Source, first found:
``pyproject.toml`` ([project] dependencies, every optional-dependencies extra and every
dependency group), else ``requirements*.txt`` at the repository root.

Run as ``python docker/requirements.py [REPO_ROOT]``; needs Python 3.11+ (tomllib).
"""

from __future__ import annotations

import sys
import tomllib
from pathlib import Path


def from_pyproject(path: Path) -> list[str]:
    data = tomllib.loads(path.read_text())
    project = data.get("project", {})
    found = list(project.get("dependencies", []))
    for extra in project.get("optional-dependencies", {}).values():
        found += extra
    for group in data.get("dependency-groups", {}).values():
        # {include-group = "..."} entries point at groups already listed here.
        found += [item for item in group if isinstance(item, str)]
    return found


def from_requirements_files(root: Path) -> list[str]:
    found = []
    for path in sorted(root.glob("requirements*.txt")):
        for line in path.read_text().splitlines():
            line = line.split("#", 1)[0].strip()
            if line and not line.startswith("-"):
                found.append(line)
    return found


def requirements(root: Path) -> list[str]:
    pyproject = root / "pyproject.toml"
    found = from_pyproject(pyproject) if pyproject.exists() else from_requirements_files(root)
    if not found:
        raise SystemExit(f"no requirements in {root}/pyproject.toml or {root}/requirements*.txt")
    # Same requirement listed in two groups: keep the first, keep the order.
    return list(dict.fromkeys(found))


if __name__ == "__main__":
    root = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parent.parent
    print("\n".join(requirements(root)))
