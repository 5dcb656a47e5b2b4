"""The planted faults still match the code: each find string occurs where the list says, as often
as it says, and each fault names suites that exist. A refactoring that moves the code a fault
edits shows here, not half an hour into `make planted-faults`."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

PROJECT_DIR = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location("planted_faults", PROJECT_DIR / "bench" / "planted_faults.py")
planted_faults = importlib.util.module_from_spec(_spec)
sys.modules["planted_faults"] = planted_faults  # its dataclasses look their module up there
_spec.loader.exec_module(planted_faults)
FAULTS = planted_faults.load_faults(planted_faults.FAULTS_FILE)


@pytest.mark.parametrize("fault", FAULTS, ids=[fault.id for fault in FAULTS])
def test_each_fault_still_finds_the_code_it_plants_into(fault, tmp_path: Path) -> None:
    target = tmp_path / fault.file
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text((PROJECT_DIR / fault.file).read_text(encoding="utf-8"), encoding="utf-8")
    fault.plant(tmp_path)
    assert target.read_text(encoding="utf-8") != (PROJECT_DIR / fault.file).read_text(encoding="utf-8")


@pytest.mark.parametrize("fault", FAULTS, ids=[fault.id for fault in FAULTS])
def test_each_fault_runs_suites_that_exist(fault) -> None:
    assert fault.suites
    for suite in fault.suites:
        if suite.kind in ("behave", "pytest"):
            assert (PROJECT_DIR / suite.args[0]).is_file(), suite.label


def test_a_find_string_that_no_longer_matches_is_named(tmp_path: Path) -> None:
    fault = FAULTS[0]
    (tmp_path / fault.file).parent.mkdir(parents=True, exist_ok=True)
    (tmp_path / fault.file).write_text("nothing of it here\n", encoding="utf-8")
    with pytest.raises(planted_faults.FaultListError, match=f"fault {fault.id}: .* 0 occurrence"):
        fault.plant(tmp_path)
