"""Dealing scenarios to parallel processes by how long they took last time."""

from __future__ import annotations

from pathlib import Path

from harness.behave.timings import deal_by_time, load_timings, update_timings


def best_longest_share(timings: dict[str, float]) -> float:
    """The least possible time of the longer of two shares, by trying every split."""
    values, total = list(timings.values()), sum(timings.values())
    best = total
    for mask in range(1 << len(values)):
        share = sum(v for i, v in enumerate(values) if mask >> i & 1)
        best = min(best, max(share, total - share))
    return best


def test_the_long_ones_are_spread_and_each_hand_keeps_suite_order() -> None:
    # As in the suite: a few long fault scenarios among many short ones.
    timings = {"a:1": 9.0, "a:9": 8.0, "b:1": 0.5, "b:5": 0.4, "c:1": 7.5, "c:7": 7.0, "d:1": 5.0, "d:3": 4.0}
    hands = deal_by_time(list(timings), 2, timings)
    loads = [sum(timings[loc] for loc in hand) for hand in hands]
    assert max(loads) <= best_longest_share(timings) + 1.0, hands
    order = list(timings)
    assert all(hand == sorted(hand, key=order.index) for hand in hands)
    assert sorted(loc for hand in hands for loc in hand) == sorted(timings)


def test_untimed_scenarios_count_as_the_median_and_none_timed_deals_evenly() -> None:
    hands = deal_by_time(["x:1", "x:2", "x:3", "x:4"], 2, {})
    assert [len(hand) for hand in hands] == [2, 2]
    hands = deal_by_time(["t:1", "t:2", "new:1"], 2, {"t:1": 10.0, "t:2": 2.0})
    assert ["t:1"] in hands


def test_timings_are_updated_not_replaced(tmp_path: Path) -> None:
    path = tmp_path / "scenario-timings.json"
    update_timings(path, {"a:1": 3.0, "b:1": 4.0})
    update_timings(path, {"a:1": 5.0})
    assert load_timings(path) == {"a:1": 5.0, "b:1": 4.0}
    path.write_text("not json")
    assert load_timings(path) == {}


def test_a_run_record_gives_each_run_location_its_time() -> None:
    from datetime import datetime

    from harness.report.records import FeatureRecord, RunRecord, ScenarioRecord
    from harness.behave.timings import timings_of

    def scenario(location: str, status: str, seconds: float, outline: str | None = None) -> ScenarioRecord:
        return ScenarioRecord(location, location, status, seconds, [], None, [], outline_location=outline)

    feature = FeatureRecord("f", "features/f.feature:1", [], [], "passed", [
        scenario("features/f.feature:5", "passed", 2.0),
        scenario("features/f.feature:12", "failed", 1.0, outline="features/f.feature:9"),
        scenario("features/f.feature:13", "passed", 3.0, outline="features/f.feature:9"),
        scenario("features/f.feature:20", "skipped", 0.0),
    ])
    record = RunRecord("t", "embedded", datetime.now(), 6.0, [feature])
    # An outline's examples are timed (and dealt) one by one, by their rows' lines.
    assert timings_of(record) == {"features/f.feature:5": 2.0, "features/f.feature:12": 1.0, "features/f.feature:13": 3.0}


def test_a_parallel_run_deals_each_example_of_an_outline_by_its_own_row(tmp_path) -> None:
    from harness.behave.parallel import scenario_locations

    features = tmp_path / "features"
    features.mkdir()
    (features / "o.feature").write_text(
        "Feature: o\n"
        "  Scenario: plain\n"
        "    Given a step\n"
        "  Scenario Outline: <n>\n"
        "    Given a step <n>\n"
        "    Examples:\n"
        "      | n |\n"
        "      | 1 |\n"
        "      | 2 |\n",
        encoding="utf-8",
    )
    assert scenario_locations(features, []) == ["features/o.feature:2", "features/o.feature:8", "features/o.feature:9"]
