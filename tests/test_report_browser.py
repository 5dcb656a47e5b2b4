"""The report opened in a real headless Chromium: diagrams render, paths are marked, no console errors.

Uses Debian's chromium through Playwright (no browser download). Skipped, with the reason, when
Chromium, Playwright or Graphviz is missing; CI installs them. Screenshots go to reports/.
Under `make test` (REPORTS_MUST_EXIST=1) a missing tool or report fails instead, and so does a
report older than the run (REPORTS_NEWER_THAN, seconds since the epoch when the run began).
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from harness.behave.parallel import feature_files
from harness.report.html import report_html
from harness.report.merge import suite_features
from harness.report.render import dot_executable
from tests.report_samples import DEFINITION, HAPPY_PATH, PROJECT_DIR, UNKNOWN_COMPANY_PATH, sample_run

REPORTS_DIR = PROJECT_DIR / "reports"
# `make test` sets it for its last step, after the runs that write these reports: then a missing
# report is a failure, not a reason to skip.
REPORTS_MUST_EXIST = os.environ.get("REPORTS_MUST_EXIST") == "1"
# When set, a report written before then is an earlier run's, not the one under test.
REPORTS_NEWER_THAN = float(os.environ.get("REPORTS_NEWER_THAN") or 0)


def _skip_or_fail(message: str) -> None:
    if REPORTS_MUST_EXIST:
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


def _last_run_report(name: str, made_by: str) -> Path:
    report = REPORTS_DIR / name
    if not report.is_file():
        _skip_or_fail(f"no reports/{name}: run `{made_by}` first")
    if report.stat().st_mtime < REPORTS_NEWER_THAN:
        pytest.fail(f"reports/{name} is older than this run: `{made_by}` did not write it", pytrace=False)
    return report
STATE_COUNT = len(DEFINITION["States"])
# The last runs' reports draw the project's own definition, not the samples'.
PROJECT_STATES = list(json.loads((PROJECT_DIR / "test-definition.json").read_text())["States"])
# A run that fails stops at the step that failed (nothing catches it).
UNKNOWN_COMPANY_RUN = ["Ingest", "FetchFiling"]
# The real binary first: Debian's /usr/bin/chromium is a shell wrapper.
CHROMIUM_CANDIDATES = ["/usr/lib/chromium/chromium", "chromium", "chromium-browser", "google-chrome"]


def _chromium() -> str | None:
    for candidate in CHROMIUM_CANDIDATES:
        found = candidate if Path(candidate).is_file() else shutil.which(candidate)
        if found:
            return found
    return None


try:
    from playwright import sync_api
except ImportError:
    sync_api = None


def _missing_tools() -> list[str]:
    missing = []
    if sync_api is None:
        missing.append("Playwright is not installed (pip install playwright)")
    if _chromium() is None:
        missing.append("Chromium is not installed (apt-get install chromium)")
    if dot_executable() is None:
        missing.append("Graphviz's dot is not installed (apt-get install graphviz)")
    return missing


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    missing = _missing_tools()
    if missing:
        _skip_or_fail("; ".join(missing))
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=_chromium(), args=["--no-sandbox"])
        yield browser
        browser.close()


def _open(browser: object, path: Path) -> tuple[object, list[str]]:
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    problems: list[str] = []
    page.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: problems.append(str(error)))
    # Any request but the file itself would be a fetch the report must not make.
    page.on("request", lambda request: problems.append(f"fetched {request.url}") if request.url != path.as_uri() else None)
    page.goto(path.as_uri())
    page.wait_for_load_state("load")
    return page, problems


def _execution_facts(page: object) -> list[dict]:
    return page.evaluate(
        """() => [...document.querySelectorAll('.execution')].map(e => ({
            path: e.dataset.path.split(' '),
            status: e.dataset.status,
            nodes: e.querySelectorAll('svg g.node.state').length,
            visited: [...e.querySelectorAll('svg g.node.state.visited')].map(n => n.querySelector('title').textContent),
            failed: [...e.querySelectorAll('svg g.node.state.failed')].map(n => n.querySelector('title').textContent),
            unreached: e.querySelectorAll('svg g.node.state.unreached').length,
            drawn: [...e.querySelectorAll('svg g.node.state')].every(n => n.getBoundingClientRect().width > 0),
            scenario: e.closest('.scenario').dataset.name,
        }))"""
    )


def test_the_sample_report_draws_each_path_in_chromium(browser: object, tmp_path: Path) -> None:
    report = tmp_path / "report.html"
    report.write_text(report_html(sample_run()), encoding="utf-8")
    page, problems = _open(browser, report)
    facts = {fact["scenario"]: fact for fact in _execution_facts(page)}
    REPORTS_DIR.mkdir(exist_ok=True)
    page.screenshot(path=str(REPORTS_DIR / "sample-report.png"), full_page=True)

    assert problems == []
    assert all(fact["nodes"] == STATE_COUNT and fact["drawn"] for fact in facts.values())
    assert facts["the happy path"]["visited"] == HAPPY_PATH and facts["the happy path"]["failed"] == []
    assert facts["an unknown company"]["visited"] == UNKNOWN_COMPANY_PATH
    assert facts["an unknown company"]["failed"] == ["FetchFiling"]
    assert facts["an unknown company"]["unreached"] == STATE_COUNT - len(UNKNOWN_COMPANY_PATH)
    throttled = page.locator(".execution[data-execution='req-throttled'] svg g.edge.retry.taken")
    assert throttled.count() == 1 and "retried 2×" in throttled.text_content()


LAST_RUNS = {"report.html": "make acceptance", "serial/report.html": "behave -D reports_dir=reports/serial"}


@pytest.mark.parametrize("name", LAST_RUNS)
def test_the_report_of_the_last_acceptance_run_draws_the_right_paths(browser: object, name: str) -> None:
    report = _last_run_report(name, LAST_RUNS[name])
    page, problems = _open(browser, report)
    facts = _execution_facts(page)
    page.screenshot(path=str(report.with_suffix(".png")), full_page=True)

    assert problems == []
    assert facts, "the report shows no execution"
    for fact in facts:
        # Every state of the diagram is drawn; the visited ones are exactly the execution's path.
        assert fact["nodes"] == len(PROJECT_STATES) and fact["drawn"], fact
        assert fact["visited"] == [name for name in PROJECT_STATES if name in fact["path"]], fact
    by_scenario = {fact["scenario"]: fact for fact in facts}
    expected = {
        "the latest annual report of Apple is archived and catalogued": (HAPPY_PATH, []),
        "an unknown company": (UNKNOWN_COMPANY_RUN, ["FetchFiling"]),
        "the SEC API throttles, then recovers, and the request still completes": (HAPPY_PATH, []),
    }
    for scenario, (path, failed) in expected.items():
        if scenario not in by_scenario:
            continue  # that scenario did not run (tags or a feature subset)
        assert by_scenario[scenario]["path"] == path
        assert by_scenario[scenario]["failed"] == failed


def _scenario_facts(page: object) -> list[dict]:
    return page.evaluate(
        """() => [...document.querySelectorAll('section.scenario')].map(s => ({
            name: s.dataset.name,
            status: s.dataset.status,
            ranBy: s.querySelector('.ran-by') ? s.querySelector('.ran-by').textContent : null,
            executions: [...s.querySelectorAll('.execution')].map(e => e.dataset.path),
            diagrams: s.querySelectorAll('.execution svg g.node.state').length,
        }))"""
    )


def test_the_merged_report_of_the_last_acceptance_run_has_each_scenario_once_as_its_worker_saw_it(
    browser: object,
) -> None:
    # make acceptance splits the suite across processes, each with its folder under workers/.
    merged = _last_run_report("report.html", "make acceptance")
    page, problems = _open(browser, merged)
    facts = _scenario_facts(page)
    suite = suite_features(PROJECT_DIR, feature_files(PROJECT_DIR / "features"))

    assert problems == []
    # The whole suite in its order, each scenario once (ids: the report's anchors).
    assert [fact["name"] for fact in facts] == [s.name for feature in suite for s in feature.scenarios]
    assert "behave processes" in page.locator(".run-note").first.text_content()
    workers: dict[str, dict[str, dict]] = {}
    for fact in facts:
        if fact["status"] == "skipped" and fact["ranBy"] is None:
            continue  # left out by the tags: dealt to no one
        assert fact["ranBy"], fact
        if fact["ranBy"] not in workers:
            own, _ = _open(browser, merged.parent / "workers" / fact["ranBy"].replace(" ", "-") / "report.html")
            workers[fact["ranBy"]] = {f["name"]: f for f in _scenario_facts(own)}
        # What its worker's own report shows of it: same outcome, same executions, every diagram drawn.
        own_fact = workers[fact["ranBy"]][fact["name"]]
        assert (fact["status"], fact["executions"]) == (own_fact["status"], own_fact["executions"])
        assert fact["diagrams"] == len(PROJECT_STATES) * len(fact["executions"])


def _coverage_facts(page: object) -> dict:
    return page.evaluate(
        """() => {
            const section = document.querySelector('#coverage');
            const edges = kind => [...section.querySelectorAll('svg g.edge.' + kind)];
            const dashed = e => { const p = e.querySelector('path'); return !!p.getAttribute('stroke-dasharray'); };
            const stroke = e => e.querySelector('path').getAttribute('stroke');
            return {
                figures: [...section.querySelectorAll('.summary div')].map(d => d.textContent),
                uncovered: [...section.querySelectorAll('ul.uncovered li')].map(li => li.textContent),
                taken: edges('taken').map(e => ({title: e.querySelector('title').textContent, dashed: dashed(e), stroke: stroke(e)})),
                untaken: edges('untaken').map(e => ({title: e.querySelector('title').textContent, dashed: dashed(e), stroke: stroke(e)})),
                retryTaken: edges('retry.taken').length,
                retryUntaken: edges('retry.untaken').length,
                height: section.getBoundingClientRect().height,
            };
        }"""
    )


def test_the_coverage_view_tells_covered_from_uncovered_edges_at_a_glance(browser: object, tmp_path: Path) -> None:
    report = tmp_path / "report.html"
    report.write_text(report_html(sample_run()), encoding="utf-8")
    page, problems = _open(browser, report)
    facts = _coverage_facts(page)
    REPORTS_DIR.mkdir(exist_ok=True)
    page.locator("#coverage").screenshot(path=str(REPORTS_DIR / "coverage-view-sample.png"))

    assert problems == []
    assert any("transitions" in figure for figure in facts["figures"])
    # Taken edges solid, untaken ones dashed and of another colour; Catch and Retry edges included.
    assert facts["taken"] and facts["untaken"]
    assert not any(edge["dashed"] for edge in facts["taken"])
    assert all(edge["dashed"] for edge in facts["untaken"])
    assert {edge["stroke"] for edge in facts["taken"]}.isdisjoint({edge["stroke"] for edge in facts["untaken"]})
    assert any(edge["title"] == "FetchFiling->FetchFilingFailed" for edge in facts["taken"])
    assert any(edge["title"] == "Ingest->IngestFailed" for edge in facts["untaken"])
    assert facts["retryTaken"] == 1 and facts["retryUntaken"] == 4
    assert "from Ingest, the catch States.ALL to IngestFailed is never taken" in facts["uncovered"]


def test_the_coverage_view_of_the_last_run_shows_the_figures_of_its_coverage_file(browser: object) -> None:
    report = _last_run_report("report.html", "make acceptance")
    figures = json.loads((report.parent / "coverage.json").read_text())["figures"]
    page, problems = _open(browser, report)
    facts = _coverage_facts(page)
    page.locator("#coverage").screenshot(path=str(REPORTS_DIR / "coverage-view.png"))

    assert problems == []
    for name, figure in figures.items():
        assert f"{figure['percent']:g}%{name} ({figure['covered']}/{figure['total']})" in facts["figures"]
    assert len(facts["uncovered"]) == sum(f["total"] - f["covered"] for f in figures.values())


def test_the_failed_only_view_shows_only_failed_scenarios_without_script(browser: object, tmp_path: Path) -> None:
    report = tmp_path / "report.html"
    report.write_text(report_html(sample_run()), encoding="utf-8")
    page, problems = _open(browser, report)
    page.click("a[href='#failed-only']")
    shown = page.evaluate(
        "() => [...document.querySelectorAll('section.scenario')].filter(s => s.offsetParent !== null).map(s => s.dataset.name)"
    )
    page.screenshot(path=str(REPORTS_DIR / "failed-only-sample.png"))
    page.click("summary h2")  # a feature folds away
    folded = page.evaluate("() => document.querySelector('details.feature').open")

    assert problems == []
    assert shown == ["an unknown company"]
    assert folded is False
