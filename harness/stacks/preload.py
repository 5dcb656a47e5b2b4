"""An app's interpreter started ahead of the app: Python and boto3 load while the stack starts.

Run as ``python -m harness.stacks.preload`` (``ManagedProcess.preload`` does). It imports what
every app of a pipeline loads first, boto3 (a quarter of a second of CPU per app, four apps on
two cores), then waits on its standard input for one line, ``{"argv": [...], "env": {...}}``:
the app's command line after the interpreter (``-m MODULE ARGS``) and its whole environment. It
puts that environment in place and runs the module as ``python -m`` would, in this same process,
so the app's own code starts only then, once its resources exist (docs/app-contract.md), with
the pid, log and signals the stack already watches. The end of its input before that line (the
stack stopped first) ends it quietly.
"""

from __future__ import annotations

import json
import os
import runpy
import sys
from typing import Any

# What is loaded ahead: libraries only, never the app's modules (they may read their settings
# when imported, and the settings come with the go line).
AHEAD = ("boto3", "botocore.client")


def read_order(line: str) -> tuple[str, list[str], dict[str, str]] | None:
    """The module, its arguments and the environment from the go line; None for no line."""
    if not line.strip():
        return None
    order: Any = json.loads(line)
    argv, env = order.get("argv"), order.get("env")
    if not (isinstance(argv, list) and len(argv) >= 2 and argv[0] == "-m" and all(isinstance(a, str) for a in argv)):
        raise SystemExit(f"preload: the go line wants argv ['-m', MODULE, ARGS...], got {str(argv)[:200]}")
    if not (isinstance(env, dict) and all(isinstance(k, str) and isinstance(v, str) for k, v in env.items())):
        raise SystemExit("preload: the go line wants env, a map of names to strings")
    return argv[1], argv[2:], env


def main() -> int:
    for module in AHEAD:
        __import__(module)
    order = read_order(sys.stdin.readline())
    if order is None:
        return 0
    module, args, env = order
    os.environ.clear()
    os.environ.update(env)
    # An app started directly reads nothing on its standard input.
    with open(os.devnull, "rb") as nothing:
        os.dup2(nothing.fileno(), 0)
    sys.argv = [module, *args]  # run_module puts the module's path in sys.argv[0], as -m does
    runpy.run_module(module, run_name="__main__", alter_sys=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
