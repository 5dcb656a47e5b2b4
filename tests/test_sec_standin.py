"""The sec-api.io stand-in, over HTTP, as a separate process."""

from __future__ import annotations

import logging
import socket
import time
from pathlib import Path
from typing import Any, Callable

import pytest
import requests

from harness.waiting import wait_until
from sec_api_standin.log_redaction import RedactSecret
from tests.standin_fixtures import running_standin, standin_process

TESLA_10Q = "0001628280-25-045968"
FILING_FIELDS = {
    "id", "ticker", "formType", "description", "accessionNo", "cik", "companyName",
    "companyNameLong", "filedAt", "periodOfReport", "linkToHtml", "linkToFilingDetails",
    "linkToTxt", "entities", "documentFormatFiles", "dataFiles",
}
ENTITY_FIELDS = {
    "cik", "companyName", "fileNo", "irsNo", "fiscalYearEnd", "stateOfIncorporation", "sic",
    "type", "act", "filmNo",
}
FILE_FIELDS = {"sequence", "size", "documentUrl", "description", "type"}


@pytest.fixture
def query(sec_standin_url: str, sec_api_key: str) -> Callable[..., requests.Response]:
    def send(text: str = "", **body: Any) -> requests.Response:
        return requests.post(
            sec_standin_url,
            json={"query": text, **body},
            headers={"Authorization": sec_api_key},
            timeout=5,
        )

    return send


def stats(url: str) -> dict[str, Any]:
    return requests.get(f"{url}/_standin/stats", timeout=5).json()


def cik_count(url: str, cik: str, status: str = "total") -> int:
    return stats(url)["byCik"].get(cik, {}).get(status, 0)


# --- auth -----------------------------------------------------------------------------------


def test_health(sec_standin_url: str) -> None:
    response = requests.get(f"{sec_standin_url}/_standin/health", timeout=5)
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_missing_key_is_401(sec_standin_url: str) -> None:
    response = requests.post(sec_standin_url, json={"query": "cik:320193"}, timeout=5)
    assert response.status_code == 401
    assert "API key" in response.json()["error"]


@pytest.mark.parametrize(
    "params, headers",
    [({"token": "wrong"}, {}), ({}, {"Authorization": "wrong"}), ({}, {"Authorization": "Bearer wrong"})],
)
def test_wrong_key_is_403(sec_standin_url: str, params: dict, headers: dict) -> None:
    response = requests.post(
        sec_standin_url, params=params, headers=headers, json={"query": "cik:320193"}, timeout=5
    )
    assert response.status_code == 403
    assert response.json()["error"] == "invalid API key"


@pytest.mark.parametrize("how", ["token", "raw header", "bearer header"])
def test_right_key_is_accepted(sec_standin_url: str, sec_api_key: str, how: str) -> None:
    params = {"token": sec_api_key} if how == "token" else {}
    headers = {
        "raw header": {"Authorization": sec_api_key},
        "bearer header": {"Authorization": f"Bearer {sec_api_key}"},
    }.get(how, {})
    response = requests.post(
        sec_standin_url, params=params, headers=headers, json={"query": "cik:320193"}, timeout=5
    )
    assert response.status_code == 200
    assert sec_api_key not in response.text


# --- answers --------------------------------------------------------------------------------


def test_response_has_sec_api_shape(query: Callable[..., requests.Response]) -> None:
    response = query('cik:1318605 AND formType:"10-Q"', **{"from": "0", "size": "10"})
    assert response.status_code == 200
    body = response.json()
    assert list(body) == ["total", "query", "filings"]
    assert body["total"] == {"value": 2, "relation": "eq"}
    assert body["query"] == {"from": 0, "size": 10}
    latest = body["filings"][0]
    assert FILING_FIELDS <= set(latest)
    assert latest["accessionNo"] == TESLA_10Q
    assert latest["cik"] == "1318605" and latest["ticker"] == "TSLA"
    assert latest["filedAt"] == "2025-10-22T21:08:43-04:00"
    assert latest["periodOfReport"] == "2025-09-30"
    folder = "https://www.sec.gov/Archives/edgar/data/1318605/000162828025045968/"
    assert latest["linkToFilingDetails"] == folder + "tsla-20250930.htm"
    assert latest["linkToHtml"] == folder + TESLA_10Q + "-index.htm"
    assert latest["linkToTxt"] == folder + TESLA_10Q + ".txt"
    assert ENTITY_FIELDS <= set(latest["entities"][0])
    for document in latest["documentFormatFiles"] + latest["dataFiles"]:
        assert FILE_FIELDS <= set(document)
        assert isinstance(document["size"], str)


@pytest.mark.parametrize("cik, ticker", [("320193", "AAPL"), ("1318605", "TSLA"), ("789019", "MSFT")])
@pytest.mark.parametrize("form", ["10-K", "10-Q", "8-K"])
def test_every_company_has_every_form(
    query: Callable[..., requests.Response], cik: str, ticker: str, form: str
) -> None:
    filings = query(f"ticker:{ticker} AND formType:{form}").json()["filings"]
    assert filings and all(f["cik"] == cik and f["formType"] == form for f in filings)
    for filing in filings:
        folder = filing["accessionNo"].replace("-", "")
        assert filing["linkToHtml"].startswith(f"https://www.sec.gov/Archives/edgar/data/{cik}/{folder}/")


def test_zero_padded_cik_matches(query: Callable[..., requests.Response]) -> None:
    assert query("cik:0001318605").json()["total"]["value"] == 6


def test_unknown_company_is_empty_200(query: Callable[..., requests.Response]) -> None:
    response = query('cik:9999999999 AND formType:"10-K"')
    assert response.status_code == 200
    assert response.json()["total"]["value"] == 0
    assert response.json()["filings"] == []


def test_paging(query: Callable[..., requests.Response]) -> None:
    first = query("cik:789019", **{"from": "0", "size": "2"}).json()
    second = query("cik:789019", **{"from": 2, "size": 2}).json()
    assert first["total"]["value"] == second["total"]["value"] == 6
    assert second["query"] == {"from": 2, "size": 2}
    first_ids = [f["accessionNo"] for f in first["filings"]]
    second_ids = [f["accessionNo"] for f in second["filings"]]
    assert len(first_ids) == len(second_ids) == 2 and not set(first_ids) & set(second_ids)
    assert query("cik:789019", **{"from": "6"}).json()["filings"] == []


def test_sort_by_filed_at(query: Callable[..., requests.Response]) -> None:
    desc = query("cik:320193", sort=[{"filedAt": {"order": "desc"}}]).json()["filings"]
    asc = query("cik:320193", sort=[{"filedAt": {"order": "asc"}}]).json()["filings"]
    assert [f["accessionNo"] for f in desc] == [f["accessionNo"] for f in reversed(asc)]
    assert desc[0]["filedAt"] > desc[-1]["filedAt"]


def test_filed_at_range(query: Callable[..., requests.Response]) -> None:
    filings = query("cik:1318605 AND filedAt:[2025-01-01 TO 2025-07-31]").json()["filings"]
    assert {f["filedAt"][:10] for f in filings} == {"2025-01-29", "2025-07-23"}


@pytest.mark.parametrize(
    "body, complaint",
    [
        ({"query": "sector:tech"}, "unknown field 'sector'"),
        ({"query": "cik:320193 OR cik:789019"}, "AND"),
        ({"query": 'formType:"10-K'}, "quote"),
        ({"query": "filedAt:[2024-13-01 TO *]"}, "invalid date"),
        ({"query": "cik:abc"}, "cik must be digits"),
        ({"query": ""}, "empty"),
        ({"size": "10"}, '"query" is required'),
        ({"query": "cik:320193", "from": "-1"}, '"from"'),
        ({"query": "cik:320193", "size": "500"}, '"size"'),
        ({"query": "cik:320193", "sort": [{"ticker": {"order": "asc"}}]}, "cannot sort on 'ticker'"),
        ({"query": "cik:320193", "sort": [{"filedAt": {"order": "up"}}]}, "sort order"),
    ],
)
def test_bad_query_is_400_naming_the_problem(
    sec_standin_url: str, sec_api_key: str, body: dict, complaint: str
) -> None:
    response = requests.post(sec_standin_url, json=body, headers={"Authorization": sec_api_key}, timeout=5)
    assert response.status_code == 400
    assert complaint in response.json()["error"]


def test_body_that_is_not_json_is_400(sec_standin_url: str, sec_api_key: str) -> None:
    response = requests.post(
        sec_standin_url, data=b"{query:", headers={"Authorization": sec_api_key}, timeout=5
    )
    assert response.status_code == 400
    assert "not valid JSON" in response.json()["error"]


def test_unknown_path_answers_json(sec_standin_url: str) -> None:
    response = requests.get(f"{sec_standin_url}/nothing-here", timeout=5)
    assert response.status_code == 404
    assert response.json()["status"] == 404


# --- faults and stats -----------------------------------------------------------------------


def add_fault(url: str, **spec: Any) -> requests.Response:
    return requests.post(f"{url}/_standin/faults", json=spec, timeout=5)


def test_fault_answers_times_then_recovers(
    sec_standin_url: str, query: Callable[..., requests.Response]
) -> None:
    before = cik_count(sec_standin_url, "320193", "503")
    assert add_fault(sec_standin_url, status=503, times=2, cik="320193").status_code == 201
    statuses = [query("cik:320193").status_code for _ in range(3)]
    assert statuses == [503, 503, 200]
    assert cik_count(sec_standin_url, "320193", "503") == before + 2


def test_fault_scoped_to_a_cik_spares_other_companies(
    sec_standin_url: str, query: Callable[..., requests.Response]
) -> None:
    add_fault(sec_standin_url, status=502, cik="789019")
    assert query("cik:1318605").status_code == 200
    assert query("ticker:MSFT").status_code == 502  # the ticker resolves to the faulty cik
    assert query("cik:789019").status_code == 502


def test_fault_without_cik_hits_everyone_until_cleared(
    sec_standin_url: str, query: Callable[..., requests.Response]
) -> None:
    add_fault(sec_standin_url, status=500)
    assert query("cik:1318605").status_code == 500
    assert query("cik:9999999").status_code == 500
    listing = requests.get(f"{sec_standin_url}/_standin/faults", timeout=5).json()
    assert listing == {"faults": [{"status": 500, "times": None, "cik": None, "retryAfter": None}]}
    assert requests.delete(f"{sec_standin_url}/_standin/faults", timeout=5).json() == {"cleared": 1}
    assert query("cik:1318605").status_code == 200


def test_clearing_one_cik_keeps_the_others(
    sec_standin_url: str, query: Callable[..., requests.Response]
) -> None:
    add_fault(sec_standin_url, status=504, cik="320193")
    add_fault(sec_standin_url, status=504, cik="789019")
    response = requests.delete(f"{sec_standin_url}/_standin/faults", params={"cik": "320193"}, timeout=5)
    assert response.json() == {"cleared": 1}
    assert query("cik:320193").status_code == 200
    assert query("cik:789019").status_code == 504


def test_throttle_fault_can_send_retry_after(
    sec_standin_url: str, query: Callable[..., requests.Response]
) -> None:
    add_fault(sec_standin_url, status=429, times=1, cik="1318605", retryAfter=0)
    response = query("cik:1318605")
    assert response.status_code == 429
    assert response.headers["Retry-After"] == "0"


@pytest.mark.parametrize(
    "spec",
    [{"status": 404}, {"status": 503, "times": 0}, {"status": 503, "cik": 320193}, {"status": 503, "when": 1},
     {"answer": "evil"}, {"status": 503, "answer": "silent"}, {},
     {"delay": 0}, {"delay": -1}, {"delay": 61}, {"delay": "1"}, {"delay": True}, {"delay": None},
     {"status": 404, "delay": 1}, {"answer": "silent", "delay": 1}],
)
def test_bad_fault_spec_is_400(sec_standin_url: str, spec: dict) -> None:
    response = add_fault(sec_standin_url, **spec)
    assert response.status_code == 400
    assert response.json()["error"]


def test_a_held_answer_comes_after_its_delay_with_its_status_and_retry_after(
    sec_standin_url: str, query: Callable[..., requests.Response]
) -> None:
    spec = {"status": 503, "times": 1, "cik": "1318605", "retryAfter": 2, "delay": 0.3}
    assert add_fault(sec_standin_url, **spec).json() == {"fault": spec}
    began = time.monotonic()
    response = query("cik:1318605")
    assert time.monotonic() - began >= 0.3
    assert (response.status_code, response.headers["Retry-After"]) == (503, "2")


def test_a_delay_alone_holds_the_normal_answer(
    sec_standin_url: str, query: Callable[..., requests.Response]
) -> None:
    assert add_fault(sec_standin_url, delay=0.3, times=1, cik="320193").status_code == 201
    began = time.monotonic()
    held = query("cik:320193")
    assert time.monotonic() - began >= 0.3
    assert held.status_code == 200
    assert held.json()["filings"] == query("cik:320193").json()["filings"]


def test_a_delayed_answer_is_let_go_when_faults_are_cleared(
    sec_standin_url: str, sec_api_key: str, query: Callable[..., requests.Response]
) -> None:
    def answered() -> int:
        return int(cik_count(sec_standin_url, "789019", "200"))

    before = answered()
    assert add_fault(sec_standin_url, delay=60, times=1, cik="789019").status_code == 201
    with pytest.raises(requests.Timeout):
        requests.post(sec_standin_url, json={"query": "cik:789019"}, headers={"Authorization": sec_api_key}, timeout=0.5)
    assert answered() == before  # still held
    requests.delete(f"{sec_standin_url}/_standin/faults", timeout=5)
    wait_until(lambda: answered() == before + 1, timeout=5, awaited="the delayed query to be let go")


def test_a_hostile_answer_is_served_once_then_the_real_one(
    sec_standin_url: str, query: Callable[..., requests.Response]
) -> None:
    assert add_fault(sec_standin_url, answer="accession-path", times=1, cik="320193").status_code == 201
    hostile, real = query("cik:320193"), query("cik:320193")
    assert (hostile.status_code, hostile.json()["filings"][0]["accessionNo"]) == (200, "../../victim/request")
    assert real.json()["filings"][0]["accessionNo"] != "../../victim/request"


def test_a_silent_answer_holds_the_query_until_faults_are_cleared(
    sec_standin_url: str, sec_api_key: str, query: Callable[..., requests.Response]
) -> None:
    def answered_504() -> int:
        return int(stats(sec_standin_url)["byStatus"].get("504", 0))

    before = answered_504()
    add_fault(sec_standin_url, answer="silent", cik="789019")
    with pytest.raises(requests.Timeout):
        requests.post(sec_standin_url, json={"query": "cik:789019"}, headers={"Authorization": sec_api_key}, timeout=0.5)
    assert answered_504() == before  # still held, not answered
    requests.delete(f"{sec_standin_url}/_standin/faults", timeout=5)
    wait_until(lambda: answered_504() == before + 1, timeout=5, awaited="the held query to be let go")
    assert query("cik:789019").status_code == 200


def test_stats_count_per_status_and_cik(
    sec_standin_url: str, query: Callable[..., requests.Response]
) -> None:
    before = stats(sec_standin_url)
    query("cik:789019")
    query("sector:none")
    after = stats(sec_standin_url)
    assert after["total"] == before["total"] + 2
    assert after["byStatus"]["400"] == before["byStatus"].get("400", 0) + 1
    assert cik_count(sec_standin_url, "789019", "200") == before["byCik"].get("789019", {}).get("200", 0) + 1


# --- the process ----------------------------------------------------------------------------


def test_key_never_reaches_the_log(
    sec_standin_url: str, sec_api_key: str, sec_standin_log: Path
) -> None:
    requests.post(sec_standin_url, params={"token": sec_api_key}, json={"query": "cik:320193"}, timeout=5)
    requests.post(sec_standin_url, params={"token": sec_api_key}, json={"query": "bad:1"}, timeout=5)
    # A request line the HTTP server itself rejects, quoting it back, with the key inside it.
    host, port = sec_standin_url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=5) as raw:
        raw.sendall(f"POST /?token={sec_api_key} junk HTTP/1.1\r\n\r\n".encode())
        error_page = raw.recv(65536).decode()
    assert error_page.split(" ")[1] == "400" and sec_api_key not in error_page
    requests.get(f"{sec_standin_url}/_standin/health?marker=done", timeout=5)

    def log_once_marker_logged() -> str | None:
        text = sec_standin_log.read_text()
        return text if "GET /_standin/health 200" in text else None

    log = wait_until(log_once_marker_logged, timeout=5, awaited="the marker request in the stand-in's log")
    assert "POST / 200" in log and "POST / 400" in log and "Bad request syntax" in log
    assert sec_api_key not in log
    assert "marker" not in log  # query strings are never logged


def test_refuses_to_start_without_key(tmp_path: Path) -> None:
    process = standin_process(tmp_path / "standin.log", None)
    process.start()
    try:
        wait_until(lambda: not process.running, timeout=10, awaited="the stand-in to refuse to start")
    finally:
        process.stop()
    lines = process.output().splitlines()
    assert process.returncode == 2
    assert len(lines) == 1 and "SEC_API_KEY" in lines[0]


def test_refuses_a_key_too_short_to_keep_out_of_its_log(tmp_path: Path) -> None:
    process = standin_process(tmp_path / "standin.log", "x")
    process.start()
    try:
        wait_until(lambda: not process.running, timeout=10, awaited="the stand-in to refuse to start")
    finally:
        process.stop()
    [line] = process.output().splitlines()
    assert process.returncode == 2
    assert "SEC_API_KEY is 1 characters; a key shorter than 16" in line


def test_the_log_masks_the_key_as_a_whole_value_never_inside_words() -> None:
    key = "abcdefghijklmnop"
    masking = RedactSecret(key)

    def logged(message: str) -> str:
        record = logging.LogRecord("t", logging.INFO, __file__, 1, message, None, None)
        masking.filter(record)
        return record.getMessage()

    assert logged(f"token={key}&x=1") == "token=***&x=1"
    assert logged(f"POST /?token={key} junk") == "POST /?token=*** junk"
    assert logged(f"sec_api_standin/fi{key}tures") == f"sec_api_standin/fi{key}tures"


def test_exits_cleanly_on_sigterm(tmp_path: Path) -> None:
    process = standin_process(tmp_path / "standin.log", "k" * 16)
    process.start()
    try:
        url = process.wait_ready(15)
        assert requests.get(f"{url}/_standin/health", timeout=5).status_code == 200
        process.terminate()
        wait_until(lambda: not process.running, timeout=5, awaited="the stand-in to exit on SIGTERM")
        assert process.returncode == 0
    finally:
        process.stop()


def test_rate_limit_answers_429(tmp_path: Path) -> None:
    key = "rate-limit-test-key"
    with running_standin(tmp_path / "standin.log", key, rate_limit=5) as url:
        def send() -> requests.Response:
            return requests.post(url, json={"query": "cik:320193"}, headers={"Authorization": key}, timeout=5)

        statuses = [send() for _ in range(20)]
        refused = [r for r in statuses if r.status_code == 429]
        assert refused and int(refused[0].headers["Retry-After"]) >= 1
        assert sum(r.status_code == 200 for r in statuses) >= 5
        # The bucket refills: a request succeeds again soon after.
        wait_until(lambda: send().status_code == 200, timeout=3, interval=0.05, awaited="the rate limit's bucket to refill")
        assert requests.get(f"{url}/_standin/stats", timeout=5).json()["byStatus"]["429"] >= len(refused)
