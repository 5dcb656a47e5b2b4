"""Serial and split suite times side by side: ``python bench/parallel.py [-n N ...]``.

Runs the default acceptance suite once with one behave process, then as ``make acceptance``
runs it (``python -m harness acceptance``, as many processes as it chooses), then with ``python
-m harness parallel -n N`` for each N asked for (default: 2 and the machine's core count), each
in a reports folder of its own under ``reports/bench-parallel/``, and prints wall times. The
split runs are dealt by the serial run's timings. One run of each: on a busy machine, time the
commands in turns, several times, and compare medians.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from harness.behave.timings import TIMINGS_FILE  # noqa: E402


def timed(command: list[str]) -> tuple[float, int]:
    began = time.monotonic()
    code = subprocess.run(command, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode
    return time.monotonic() - began, code


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, action="append", dest="counts")
    parser.add_argument("behave_args", nargs="*", help="extra behave options, e.g. -D stack=aws")
    args = parser.parse_args()
    counts = args.counts or sorted({2, os.cpu_count() or 2})
    root = REPO / "reports" / "bench-parallel"
    serial_dir = root / "serial"
    rows = [("serial (1 behave process)", *timed([sys.executable, "-m", "behave", "-f", "plain", "-o", os.devnull,
                                                 *args.behave_args, "-D", f"reports_dir={serial_dir}",
                                                 "--junit-directory", str(serial_dir / "junit")]))]
    split = [("make acceptance (processes: auto)", "acceptance", [sys.executable, "-m", "harness", "acceptance"])]
    split += [(f"parallel, {count} processes", f"parallel-{count}",
               [sys.executable, "-m", "harness", "parallel", "-n", str(count)]) for count in counts]
    for name, folder, command in split:
        reports_dir = root / folder
        reports_dir.mkdir(parents=True, exist_ok=True)
        # The serial run's timings, so the scenarios are dealt in equal shares of time.
        shutil.copy(serial_dir / TIMINGS_FILE, reports_dir / TIMINGS_FILE)
        rows.append((name, *timed([*command, *args.behave_args, "-D", f"reports_dir={reports_dir}"])))
    serial = rows[0][1]
    print(f"{'run':<36}{'wall s':>8}{'speed-up':>10}  result")
    for name, seconds, code in rows:
        print(f"{name:<36}{seconds:>8.1f}{serial / seconds:>9.2f}x  {'passed' if code == 0 else 'FAILED'}")
    return 0 if all(code == 0 for _, _, code in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
