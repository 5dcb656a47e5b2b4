"""Prints the project's pinned requirements, one per line, for pip.

The wheel download on the host and the image build read the same list from here, so the
packages baked into the images are exactly those the project pins. Source, first found:
``pyproject.toml`` ([project] dependencies, plus the optional-dependencies extras named with
``--extra``), else ``requirements*.txt`` at the repository root. The ``dev`` extra is left out
by default: the images run the programs and behave, not the unit or browser tests.

Run as ``python docker/requirements.py [--extra NAME ...] [REPO_ROOT]``; needs Python 3.11+.
"""

from __future__ import annotations

import argparse
import tomllib
from pathlib import Path


def from_pyproject(path: Path, extras: list[str]) -> list[str]:
    project = tomllib.loads(path.read_text()).get("project", {})
    found = list(project.get("dependencies", []))
    optional = project.get("optional-dependencies", {})
    for extra in extras:
        if extra not in optional:
            raise SystemExit(f"no extra {extra!r} in {path}; have {', '.join(optional) or 'none'}")
        found += optional[extra]
    return found


def from_requirements_files(root: Path) -> list[str]:
    found = []
    for path in sorted(root.glob("requirements*.txt")):
        for line in path.read_text().splitlines():
            line = line.split("#", 1)[0].strip()
            if line and not line.startswith("-"):
                found.append(line)
    return found


def requirements(root: Path, extras: list[str]) -> list[str]:
    pyproject = root / "pyproject.toml"
    found = from_pyproject(pyproject, extras) if pyproject.exists() else from_requirements_files(root)
    if not found:
        raise SystemExit(f"no requirements in {root}/pyproject.toml or {root}/requirements*.txt")
    # Same requirement listed in two groups: keep the first, keep the order.
    return list(dict.fromkeys(found))


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--extra", action="append", default=[], metavar="NAME")
    parser.add_argument("root", nargs="?", type=Path, default=Path(__file__).resolve().parent.parent)
    args = parser.parse_args()
    print("\n".join(requirements(args.root, args.extra)))
