"""Serial and parallel suite times side by side: ``python bench/parallel.py [-n N ...]``.

Runs the default acceptance suite once with one behave process, then with ``python -m
harness.behave.parallel -n N`` for each N asked for (default: 2 and the machine's core count), each in
a reports folder of its own under ``reports/bench-parallel/``, and prints wall times.
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
    for count in counts:
        reports_dir = root / f"parallel-{count}"
        reports_dir.mkdir(parents=True, exist_ok=True)
        # The serial run's timings, so the scenarios are dealt in equal shares of time.
        shutil.copy(serial_dir / TIMINGS_FILE, reports_dir / TIMINGS_FILE)
        command = [sys.executable, "-m", "harness.behave.parallel", "-n", str(count), *args.behave_args,
                   "-D", f"reports_dir={reports_dir}"]
        rows.append((f"parallel, {count} processes", *timed(command)))
    serial = rows[0][1]
    print(f"{'run':<28}{'wall s':>8}{'speed-up':>10}  result")
    for name, seconds, code in rows:
        print(f"{name:<28}{seconds:>8.1f}{serial / seconds:>9.2f}x  {'passed' if code == 0 else 'FAILED'}")
    return 0 if all(code == 0 for _, _, code in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
