"""workers.sec_client against the real stand-in process (and two broken servers of its own)."""

from __future__ import annotations

import socket
import time
from http.server import BaseHTTPRequestHandler
from typing import Any, Iterator

import pytest
import requests

from workers.sec_client import (
    SecApiClient,
    SecApiError,
    SecInvalidAnswer,
    SecNotFound,
    SecThrottled,
    SecUnauthorized,
    SecUnavailable,
)

from tests.http_fixtures import serving

FAST = {"backoff_factor": 0.01, "timeout": 5.0}


def cik_total(url: str, cik: str) -> int:
    stats = requests.get(f"{url}/_standin/stats", timeout=5).json()
    return stats["byCik"].get(cik, {}).get("total", 0)


def add_fault(url: str, **spec: Any) -> None:
    requests.post(f"{url}/_standin/faults", json=spec, timeout=5).raise_for_status()


@pytest.fixture
def client(sec_standin_url: str, sec_api_key: str) -> Iterator[SecApiClient]:
    with SecApiClient(sec_standin_url, sec_api_key, **FAST) as sec:
        yield sec


@pytest.fixture
def closed_port_url() -> str:
    # Bind and release a port: nothing listens there for the moment the test needs.
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{sock.getsockname()[1]}"


@pytest.fixture
def silent_server_url() -> Iterator[str]:
    """A socket that accepts connections (via the kernel backlog) but never answers."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen(16)
        yield f"http://127.0.0.1:{sock.getsockname()[1]}"


class _HtmlHandler(BaseHTTPRequestHandler):
    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        body = b"<html>maintenance</html>"
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def html_server_url() -> Iterator[str]:
    with serving(_HtmlHandler) as url:
        yield url


def test_latest_filing(client: SecApiClient) -> None:
    [filing] = client.latest_filings("1318605", "10-Q")
    assert filing["accessionNo"] == "0001628280-25-045968"
    assert filing["periodOfReport"] == "2025-09-30"


def test_latest_filings_newest_first(client: SecApiClient) -> None:
    filings = client.latest_filings("320193", "10-K", size=2)
    assert [f["periodOfReport"] for f in filings] == ["2025-09-27", "2024-09-28"]


def test_retries_throttling_then_succeeds(client: SecApiClient, sec_standin_url: str) -> None:
    before = cik_total(sec_standin_url, "320193")
    add_fault(sec_standin_url, status=429, times=2, cik="320193")
    assert client.latest_filings("320193", "8-K")[0]["formType"] == "8-K"
    assert cik_total(sec_standin_url, "320193") == before + 3


def test_throttled_after_retries(sec_standin_url: str, sec_api_key: str) -> None:
    add_fault(sec_standin_url, status=429, cik="789019")
    before = cik_total(sec_standin_url, "789019")
    with SecApiClient(sec_standin_url, sec_api_key, max_retries=2, **FAST) as sec:
        with pytest.raises(SecThrottled) as caught:
            sec.latest_filings("789019", "10-K")
    assert caught.value.error_name == "Sec.Throttled"
    assert "10-K filings for CIK 789019" in str(caught.value)
    assert cik_total(sec_standin_url, "789019") == before + 3  # one try, two retries


@pytest.mark.parametrize("status", [500, 502, 503, 504])
def test_unavailable_after_retries(client: SecApiClient, sec_standin_url: str, status: int) -> None:
    add_fault(sec_standin_url, status=status, cik="1318605")
    with pytest.raises(SecUnavailable) as caught:
        client.latest_filings("1318605", "10-K")
    assert caught.value.error_name == "Sec.Unavailable"
    assert str(status) in str(caught.value)


def test_unavailable_when_nothing_listens(closed_port_url: str, sec_api_key: str) -> None:
    with SecApiClient(closed_port_url, sec_api_key, max_retries=1, **FAST) as sec:
        with pytest.raises(SecUnavailable, match="unreachable"):
            sec.latest_filings("320193", "10-K")


def test_unavailable_on_timeout(silent_server_url: str, sec_api_key: str) -> None:
    with SecApiClient(silent_server_url, sec_api_key, max_retries=1, backoff_factor=0.01, timeout=0.2) as sec:
        with pytest.raises(SecUnavailable):
            sec.latest_filings("320193", "10-K")


def test_unavailable_when_body_is_not_json(html_server_url: str, sec_api_key: str) -> None:
    with SecApiClient(html_server_url, sec_api_key, **FAST) as sec:
        with pytest.raises(SecUnavailable, match="not JSON"):
            sec.latest_filings("320193", "10-K")


def test_unauthorized(sec_standin_url: str) -> None:
    with SecApiClient(sec_standin_url, "not-the-key", **FAST) as sec:
        with pytest.raises(SecUnauthorized) as caught:
            sec.latest_filings("320193", "10-K")
    assert caught.value.error_name == "Sec.Unauthorized"
    assert "403" in str(caught.value)


def test_not_found_for_unknown_company(client: SecApiClient) -> None:
    with pytest.raises(SecNotFound) as caught:
        client.latest_filings("9999999999", "10-K")
    assert caught.value.error_name == "Sec.NotFound"
    assert str(caught.value) == "no 10-K filings for CIK 9999999999"


def test_not_found_for_form_the_company_never_filed(client: SecApiClient) -> None:
    with pytest.raises(SecNotFound, match="no S-1 filings for CIK 1318605"):
        client.latest_filings("1318605", "S-1")


@pytest.mark.parametrize(
    "cik, form_type, size",
    [("abc", "10-K", 1), ("", "10-K", 1), ("12345678901", "10-K", 1), ("320193", "", 1),
     ("320193", '10-K" OR cik:1', 1), ("320193", "10-K", 0), ("320193", "10-K", 51)],
)
def test_bad_arguments_fail_before_any_request(
    client: SecApiClient, sec_standin_url: str, cik: str, form_type: str, size: int
) -> None:
    before = requests.get(f"{sec_standin_url}/_standin/stats", timeout=5).json()["total"]
    with pytest.raises(ValueError):
        client.latest_filings(cik, form_type, size)
    assert requests.get(f"{sec_standin_url}/_standin/stats", timeout=5).json()["total"] == before


def test_error_names_are_distinct() -> None:
    classes = [SecApiError, SecNotFound, SecUnauthorized, SecThrottled, SecUnavailable]
    assert len({c.error_name for c in classes}) == len(classes)
    assert all(issubclass(c, SecApiError) for c in classes)


def test_key_is_in_no_error_message(
    sec_standin_url: str, closed_port_url: str, html_server_url: str, sec_api_key: str
) -> None:
    add_fault(sec_standin_url, status=429, cik="789019")
    add_fault(sec_standin_url, status=503, cik="1318605")
    errors: list[SecApiError] = []
    attempts = [
        (sec_standin_url, sec_api_key, "789019"),  # throttled
        (sec_standin_url, sec_api_key, "1318605"),  # unavailable
        (sec_standin_url, sec_api_key, "9999999999"),  # not found
        (closed_port_url, sec_api_key, "320193"),  # unreachable
        (html_server_url, sec_api_key, "320193"),  # not JSON
        (sec_standin_url, sec_api_key + "x", "320193"),  # unauthorized, key as a prefix
    ]
    for url, key, cik in attempts:
        with SecApiClient(url, key, max_retries=1, **FAST) as sec:
            with pytest.raises(SecApiError) as caught:
                sec.latest_filings(cik, "10-K")
            errors.append(caught.value)
    assert {type(e) for e in errors} == {SecThrottled, SecUnavailable, SecNotFound, SecUnauthorized}
    for error in errors:
        chain: list[BaseException] = [error]
        while chain[-1].__cause__ is not None:
            chain.append(chain[-1].__cause__)
        for exc in chain:
            assert sec_api_key not in str(exc) and sec_api_key not in repr(exc)


@pytest.mark.parametrize(
    "answer, named",
    [
        ("accession-path", "accessionNo '../../victim/request'"),
        ("accession-object", "accessionNo 'dict'"),
        ("no-accession", "accessionNo 'NoneType'"),
        ("too-many", "500 filings for 2 asked"),
        ("oversized", "bytes, over"),
    ],
)
def test_an_answer_that_cannot_be_trusted_is_refused_by_name(
    client: SecApiClient, sec_standin_url: str, answer: str, named: str
) -> None:
    add_fault(sec_standin_url, answer=answer, times=1, cik="320193")
    with pytest.raises(SecInvalidAnswer) as caught:
        client.latest_filings("320193", "10-Q", size=2)
    assert caught.value.error_name == "Sec.InvalidAnswer"
    assert named in str(caught.value)


def test_a_silent_api_fails_the_call_within_its_timeout(sec_standin_url: str, sec_api_key: str) -> None:
    add_fault(sec_standin_url, answer="silent", cik="1318605")
    started = time.monotonic()
    with SecApiClient(sec_standin_url, sec_api_key, max_retries=3, backoff_factor=0.01, timeout=0.5) as sec:
        with pytest.raises(SecUnavailable):
            sec.latest_filings("1318605", "10-K")
    # One attempt of 0.5 s: a read that timed out is not retried by the client.
    assert time.monotonic() - started < 3


class _LongRetryAfterHandler(BaseHTTPRequestHandler):
    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        self.send_response(503)
        self.send_header("Retry-After", "3600")
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, format: str, *args: Any) -> None:
        pass


def test_a_retry_after_of_an_hour_waits_no_longer_than_the_timeout(sec_api_key: str) -> None:
    with serving(_LongRetryAfterHandler) as url:
        started = time.monotonic()
        with SecApiClient(url, sec_api_key, max_retries=2, backoff_factor=0.01, timeout=0.3) as sec:
            with pytest.raises(SecUnavailable):
                sec.latest_filings("320193", "10-K")
        assert time.monotonic() - started < 5


@pytest.mark.parametrize("timeout", [0, -1, float("nan"), float("inf")])
def test_a_timeout_that_is_no_deadline_is_refused(sec_api_key: str, timeout: float) -> None:
    with pytest.raises(ValueError, match="timeout must be a finite number"):
        SecApiClient("http://127.0.0.1:9", sec_api_key, timeout=timeout)
