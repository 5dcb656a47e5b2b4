"""A run's record kept as a file beside its report, so another process can merge several runs.

Pickled: the record holds datetimes, dataclasses and whatever JSON-like data a scenario left
behind, and pickle keeps them all as they were with no converter to maintain. Such a file is
only ever read back by the process that started the run which wrote it (``python -m harness parallel``),
never taken from elsewhere: unpickling runs code the file names.
"""

from __future__ import annotations

import logging
import pickle
from pathlib import Path

from harness.files import write_whole
from harness.report.records import RunRecord

log = logging.getLogger(__name__)

RECORD_FILE = "run-record.pickle"


def save_run_record(record: RunRecord, reports_dir: Path) -> Path:
    target = reports_dir / RECORD_FILE
    write_whole(target, pickle.dumps(record))
    return target


def load_run_record(reports_dir: Path) -> RunRecord | None:
    """The record a run left in ``reports_dir``; None, with the reason logged, when there is none."""
    path = reports_dir / RECORD_FILE
    try:
        record = pickle.loads(path.read_bytes())
    except FileNotFoundError:
        log.warning("no run record in %s", reports_dir)
        return None
    except Exception as exc:  # noqa: BLE001 - an unreadable record counts as a missing one
        log.warning("cannot read the run record %s: %s: %s", path, type(exc).__name__, exc)
        return None
    if not isinstance(record, RunRecord):
        log.warning("%s holds a %s, not a run record", path, type(record).__name__)
        return None
    return record
