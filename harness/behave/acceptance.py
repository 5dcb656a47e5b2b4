"""The acceptance suite as ``make acceptance`` runs it: ``python -m harness acceptance [--processes N] [behave options]``.

A suite of this kind mostly waits: on an app's heartbeat timeout, a message's visibility
timeout, a helper service that answers late, all scaled by ``TIME_SCALE``. One behave process
spends most of its run waiting while the cores idle. So the selected scenarios are split across
behave processes, each with a stack of its own (``harness/behave/parallel.py``): a scenario that
crashes or freezes an app, makes a helper service fail or changes a secret changes what every
request on its stack sees, so scenarios never share a stack while they run.

The outputs are those of a serial run, in the same place: a whole run writes in ``REPORTS_DIR``,
a run narrowed by its options (tags, paths, names) in ``REPORTS_DIR/partial/``
(``harness/behave/run_folder.py``), each cleared first: ``report.html``, ``junit/``,
``cucumber.json``, ``coverage.json``, ``run-summary.json`` and ``logs/`` (one folder per
process: ``logs/worker-<i>/``), the processes' own folders under ``workers/``. Each scenario's
line is printed as it ends; the last lines are the coverage figures and the report's path; the
exit status is 1 exactly when a scenario failed, the run checked less than it selected, or
coverage is below ``coverage_min``.

How many processes (``--processes N``, or ``auto``): as many as the selected scenarios' last
timings keep busy: one per ``STACK_WORTH_S`` seconds of them, no more than their total over the
longest one (more could not end sooner), at most ``PER_CORE`` per core (the scenarios wait far
more than they compute), at most one per scenario; on the compose stack, whose start takes tens
of seconds, one. Where that is one, or the options ask for what only one process can do (``--dry-run``, ``--stop``, ``--wip``, the informational options),
behave itself runs, exactly as ``behave [options]`` would.
"""

from __future__ import annotations

import argparse
import math
import os
import sys
from pathlib import Path

from behave.exception import ConfigError, TagExpressionError

from harness.behave.parallel import SplitRun, deal, prepare
from harness.behave.run_folder import WORKERS_DIR, clear_run_outputs, run_reports_dir
from harness.behave.timings import TIMINGS_FILE, load_timings

# Seconds of scenarios that keep one more process, and its stack, worth starting: a stack's
# start costs about this much on two busy cores.
STACK_WORTH_S = 5.0
# Processes per core at most: the scenarios wait far more than they compute (a process of the
# suite keeps about a fifth of a core busy once its stack is up). Measured on 2 cores, busy with
# other suites: 5 processes ran the suite in 0.90 of the time 4 took, 3 in 1.19.
PER_CORE = 2.5
# Stacks whose start takes far longer than STACK_WORTH_S (containers): one, unless asked for more.
ONE_STACK_AT_A_TIME = ("compose",)
# Options behave only honours in one process (or that run nothing).
ONE_PROCESS = {
    "-d", "--dry-run", "--stop", "-w", "--wip", "-h", "--help", "--version", "--lang-list", "--lang-help",
    "--tags-help", "--steps-catalog",
}


def one_process_options(behave_args: list[str]) -> list[str]:
    return [arg for arg in behave_args if arg.split("=", 1)[0] in ONE_PROCESS]


def auto_processes(locations: list[str], timings: dict[str, float], cores: int) -> int:
    """Enough processes to share the scenarios' time, each worth its stack; no more than the
    longest scenario leaves useful; ``PER_CORE`` per core at most."""
    most = max(1, math.floor(PER_CORE * cores))
    known = [timings[location] for location in locations if location in timings]
    if not known:
        return min(len(locations), most)  # never timed: as many as the cores keep busy
    guess = sorted(known)[len(known) // 2]
    seconds = [timings.get(location, guess) for location in locations]
    total = sum(seconds)
    # Past total / longest, another process only waits for the one that runs the longest scenario.
    useful = math.ceil(total / max(max(seconds), 1e-9))
    return max(1, min(len(locations), most, useful, math.floor(total / STACK_WORTH_S)))


def behave_alone(behave_args: list[str]) -> int:
    """behave itself, in this process's place: the same console, reports and exit status."""
    argv = [sys.executable, "-m", "behave", *behave_args]
    sys.stdout.flush()
    os.execv(argv[0], argv)
    return 1  # not reached


def run(project_dir: Path, processes: int | None, behave_args: list[str]) -> int:
    if one_process_options(behave_args):
        return behave_alone(behave_args)
    settings, selection = prepare(project_dir, behave_args)
    timings = load_timings(settings.reports_dir / TIMINGS_FILE)
    if processes is None and settings.stack in ONE_STACK_AT_A_TIME:
        return behave_alone(behave_args)
    count = processes or auto_processes(selection.locations, timings, os.cpu_count() or 1)
    if count <= 1 or len(selection.locations) <= 1:
        return behave_alone(behave_args)
    folder = run_reports_dir(settings.reports_dir, bool(selection.partial))
    clear_run_outputs(folder)
    workers = deal(selection.locations, count, folder / WORKERS_DIR, timings)
    print(f"{len(selection.locations)} scenarios across {len(workers)} behave processes, each with its own "
          f"{settings.stack} stack; reports in {folder}", flush=True)
    split = SplitRun(project_dir, settings, selection, folder, workers)
    split.run()
    split.failed_workers(sys.stdout)
    return split.verdict(*split.merge())


def processes_option(value: str) -> int | None:
    if value == "auto":
        return None
    try:
        count = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"--processes takes a number or 'auto', got {value!r}") from None
    if count < 1:
        raise argparse.ArgumentTypeError(f"--processes must be 1 or more, got {count}")
    return count


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m harness acceptance", description=__doc__.splitlines()[0])
    # No short form: behave's -n selects scenarios by name, and behave's options pass through.
    parser.add_argument("--processes", type=processes_option, default=None,
                        help="how many behave processes (a number, or auto: the default)")
    args, behave_args = parser.parse_known_args(argv)
    try:
        return run(Path.cwd(), args.processes, behave_args)
    except (ConfigError, TagExpressionError) as exc:  # what ``python -m behave`` says of bad options
        print(f"{type(exc).__name__}: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:  # each process has stopped its stack by now
        print("interrupted: the run was stopped", file=sys.stderr)
        return 130

