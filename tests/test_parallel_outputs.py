"""What a parallel run writes: each worker its own files, then merged Cucumber JSON and an index."""

from __future__ import annotations

from pathlib import Path

from behave.configuration import Configuration

from harness.behave.worker import move_configured_files
from harness.behave.cucumber import merge_cucumber, read_documents
from harness.behave.parallel import Worker, command, feature_files, write_index
from tests.report_samples import PROJECT_DIR


def _scenario(line: int, status: str = "passed") -> dict:
    return {"type": "scenario", "line": line, "name": f"at {line}", "status": status, "steps": []}


def _feature(uri: str, status: str, *elements: dict) -> dict:
    return {"uri": uri, "name": uri, "status": status, "elements": list(elements)}


def test_the_config_files_outputs_go_to_the_workers_folder_and_the_rest_stays(tmp_path):
    # As pyproject.toml has it: one formatter on the console, one writing reports/cucumber.json
    # (behave's own json formatter stands in for the cucumber one, which only the config names).
    config = Configuration(
        ["-f", "plain", "-o", str(tmp_path / "w0" / "console.txt")],
        load_config=False, format=["pretty", "json"], outfiles=["-", "reports/cucumber.json"],
    )
    move_configured_files(config, tmp_path / "w0")
    assert [opener.name for opener in config.outputs] == [
        None, str(tmp_path / "w0" / "cucumber.json"), str(tmp_path / "w0" / "console.txt"),
    ]


def test_a_worker_runs_behave_through_the_worker_entry_and_keeps_its_run_record(tmp_path):
    worker = Worker(1, ["features/a.feature:3"], tmp_path / "worker-1")
    argv = command(worker, "p", ["-D", "stack=embedded"])
    assert argv[1:4] == ["-m", "harness.behave.worker", str(tmp_path / "worker-1")]
    assert "keep_run_record=yes" in argv
    assert argv[-1] == "features/a.feature:3"


def test_a_split_feature_is_merged_once_in_line_order_with_the_worst_status():
    first = [_feature("features/a.feature", "passed", _scenario(3), _scenario(10))]
    second = [
        _feature("features/a.feature", "failed", _scenario(5, "failed")),
        _feature("features/b.feature", "passed", _scenario(4)),
    ]
    merged = merge_cucumber([second, first], ["features/a.feature", "features/b.feature"])
    assert [feature["uri"] for feature in merged] == ["features/a.feature", "features/b.feature"]
    assert [element["line"] for element in merged[0]["elements"]] == [3, 5, 10]
    assert merged[0]["status"] == "failed"


def test_a_background_stays_before_its_scenario():
    background = {"type": "background", "name": "bg", "steps": []}
    first = [_feature("features/a.feature", "passed", dict(background), _scenario(9))]
    second = [_feature("features/a.feature", "passed", dict(background), _scenario(4))]
    elements = merge_cucumber([first, second], ["features/a.feature"])[0]["elements"]
    assert [element.get("line", "bg") for element in elements] == ["bg", 4, "bg", 9]


def test_a_cut_short_document_is_left_out(tmp_path):
    whole, cut = tmp_path / "whole.json", tmp_path / "cut.json"
    whole.write_text('[{"uri": "features/a.feature", "elements": []}]')
    cut.write_text('[\n{"uri": "features/b.feature", "elem')
    assert read_documents([whole, cut, tmp_path / "absent.json"]) == [[{"uri": "features/a.feature", "elements": []}]]


def test_the_index_links_the_merged_report_before_the_workers_own(tmp_path):
    workers = [Worker(0, ["features/a.feature:3"], tmp_path / "worker-0")]
    write_index(workers, [0], tmp_path / "index.html", 1.0, ["report.html", "junit.xml"])
    page = (tmp_path / "index.html").read_text()
    assert page.index("href='report.html'") < page.index("href='junit.xml'") < page.index("worker-0/report.html")


def test_feature_paths_from_the_runner_match_the_formatters_uris():
    # The order merge_cucumber is given must name features as the formatter does (relative paths).
    uris = [str(path.relative_to(PROJECT_DIR)) for path in feature_files(PROJECT_DIR / "features")]
    assert "features/poison_messages.feature" in uris


def test_the_merged_junit_leaves_out_each_workers_share_of_coverage(tmp_path: Path) -> None:
    import xml.etree.ElementTree as ET

    from harness.behave.parallel import Worker, merge_junit
    from harness.report.coverage_junit import COVERAGE_JUNIT_FILE

    workers = [Worker(i, [], tmp_path / f"worker-{i}") for i in range(2)]
    for worker in workers:
        (worker.reports_dir / "junit").mkdir(parents=True)
        (worker.reports_dir / "junit" / "TESTS-a.xml").write_text(f'<testsuite name="a{worker.index}" tests="1"/>')
        (worker.reports_dir / "junit" / COVERAGE_JUNIT_FILE).write_text('<testsuite name="state machine coverage" tests="3"/>')
    merge_junit(workers, tmp_path / "junit.xml")
    assert [suite.get("name") for suite in ET.parse(tmp_path / "junit.xml").getroot()] == ["a0", "a1"]
