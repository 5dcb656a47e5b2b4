"""The pieces the fault scenarios rely on: the secret scan finds what it looks for, time scales,
fault hooks fire only for the app they name, and the catalogue refuses a late status."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.resources import secret_scan
from harness.resources.queues import scaled_visibility_timeout
from harness.settings import load_settings
from workers import faults


def test_the_scan_finds_a_planted_secret_and_only_there(tmp_path: Path) -> None:
    (tmp_path / "clean.log").write_text("nothing to see\n")
    (tmp_path / "logs").mkdir()
    (tmp_path / "logs" / "leaky.log").write_text("header: sk-live-0123456789\n")
    read, holding = secret_scan.places_holding("sk-live-0123456789", secret_scan.file_texts(tmp_path))
    assert read == 2
    assert holding == [str(tmp_path / "logs" / "leaky.log")]


@pytest.mark.parametrize(("scale", "declared", "expected"), [("1", 30, 30), ("0.1", 30, 3), ("0.1", 60, 6), ("0.01", 30, 1)])
def test_visibility_timeouts_scale_to_whole_seconds_never_below_one(scale: str, declared: int, expected: int) -> None:
    settings = load_settings(".", {"TIME_SCALE": scale}, environ={})
    assert scaled_visibility_timeout(settings, declared) == expected


def test_a_fault_setting_applies_only_to_the_app_it_names(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FAULT_CRASH_AFTER_FIRST_WRITE", "utilities")
    monkeypatch.setenv("APP_NAME", "ingest")
    monkeypatch.setattr(faults, "_crash_points_passed", set())
    exits: list[int] = []
    monkeypatch.setattr(faults.os, "_exit", exits.append)
    faults.after_write("s3://bucket/key")
    assert exits == []
    monkeypatch.setenv("APP_NAME", "utilities")
    monkeypatch.setattr(faults, "_crash_points_passed", set())
    faults.after_write("s3://bucket/key")
    faults.after_write("s3://bucket/other")  # only the first write crashes
    assert exits == [faults.CRASH_EXIT_STATUS]


def test_the_archive_crash_point_passes_other_writes_and_fires_on_the_first_archive_write(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("FAULT_CRASH_AFTER_FIRST_ARCHIVE_WRITE", "utilities")
    monkeypatch.setenv("APP_NAME", "utilities")
    monkeypatch.setattr(faults, "_crash_points_passed", set())
    exits: list[int] = []
    monkeypatch.setattr(faults.os, "_exit", exits.append)
    faults.after_write("catalogue item r-1")  # a status in the catalogue: not the archive
    assert exits == []
    faults.after_archive_write("s3://bucket/filings/a.json")
    faults.after_archive_write("s3://bucket/filings/b.json")  # only the first archive write crashes
    assert exits == [faults.CRASH_EXIT_STATUS]
