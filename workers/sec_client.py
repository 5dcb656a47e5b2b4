"""Client for sec-api.io's Query API (or the local stand-in), as the utilities app uses it.

Failures surface as named errors whose ``error_name`` is the Step Functions task failure name,
so the state machine can Retry or Catch on ``Sec.Throttled`` or ``Sec.NotFound`` specifically.
The API key travels only in the ``Authorization`` header: URLs end up in exception messages and
access logs, headers do not.
"""

from __future__ import annotations

import json
import logging
import math
import re
import time
from typing import Any

import requests
from requests.adapters import HTTPAdapter
from urllib3.util import Retry

from workers.archive import ACCESSION_NO
from workers.logs import mask

log = logging.getLogger(__name__)

RETRY_STATUSES = (429, 500, 502, 503, 504)
# How often one query is asked again (429, 5xx, no connection) before the task fails with a
# named error; the state machine's Retry then tries the whole task again.
MAX_RETRIES = 3
MAX_PAGE_SIZE = 50  # the Query API's own cap per request
# An answer is a page of at most MAX_PAGE_SIZE filings of a few KB each; far more is not an
# answer to trust, and reading it whole would cost the app's memory.
MAX_ANSWER_BYTES = 4 * 1024 * 1024
# What one filing may weigh once archived: a filing's index entry, not its documents.
MAX_FILING_BYTES = 256 * 1024

_CIK = re.compile(r"\d{1,10}")
# Form types look like 10-K, 10-Q/A, 8-K, S-1, DEF 14A, 424B2: keep to that alphabet so a value
# cannot break out of its quotes in the Lucene query.
_FORM_TYPE = re.compile(r"[A-Za-z0-9][A-Za-z0-9 ./-]{0,19}")


class SecApiError(Exception):
    """Base for every failure of a call to the SEC API."""

    error_name = "Sec.Error"


class SecNotFound(SecApiError):
    """The company has no filings of the requested form (or the company is unknown)."""

    error_name = "Sec.NotFound"


class SecUnauthorized(SecApiError):
    """The API rejected the key (401 missing, 403 invalid)."""

    error_name = "Sec.Unauthorized"


class SecThrottled(SecApiError):
    """Still rate-limited (429) after every retry."""

    error_name = "Sec.Throttled"


class SecUnavailable(SecApiError):
    """5xx after retries, no connection, a timeout, or a body that is not the expected JSON."""

    error_name = "Sec.Unavailable"


class SecInvalidAnswer(SecApiError):
    """An answer the pipeline cannot trust: a field that would become a key, a count or a size
    is not what the API documents. Nothing of it is archived."""

    error_name = "Sec.InvalidAnswer"


class _CappedRetry(Retry):
    """Honours Retry-After only up to a cap, so an answer cannot park the client for an hour."""

    def __init__(self, *args: Any, retry_after_cap: float = 30.0, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.retry_after_cap = retry_after_cap

    def new(self, **kwargs: Any) -> _CappedRetry:
        retry = super().new(**kwargs)
        retry.retry_after_cap = self.retry_after_cap
        return retry

    def get_retry_after(self, response: Any) -> float | None:
        after = super().get_retry_after(response)
        return None if after is None else min(after, self.retry_after_cap)


def checked_filings(filings: list[dict[str, Any]], size: int, what: str) -> list[dict[str, Any]]:
    """The filings of an answer, once every field that becomes a key, a count or a size passed."""
    if len(filings) > size:
        raise SecInvalidAnswer(f"SEC API sent {len(filings)} filings for {size} asked, fetching {what}")
    seen: set[str] = set()
    for position, filing in enumerate(filings, 1):
        accession_no = filing.get("accessionNo")
        if not isinstance(accession_no, str) or not ACCESSION_NO.fullmatch(accession_no):
            shown = accession_no[:40] if isinstance(accession_no, str) else type(accession_no).__name__
            raise SecInvalidAnswer(
                f"SEC API sent filing {position} with accessionNo {shown!r}, not an accession number "
                f"like 0000320193-25-000079, fetching {what}"
            )
        if accession_no in seen:
            raise SecInvalidAnswer(f"SEC API sent filing {accession_no} twice, fetching {what}")
        seen.add(accession_no)
        weight = len(json.dumps(filing, separators=(",", ":")).encode("utf-8"))
        if weight > MAX_FILING_BYTES:
            raise SecInvalidAnswer(
                f"SEC API sent filing {accession_no} of {weight} bytes, over {MAX_FILING_BYTES}, fetching {what}"
            )
    return filings


def _validate(cik: str, form_type: str, size: int) -> None:
    if not isinstance(cik, str) or not _CIK.fullmatch(cik):
        raise ValueError(f"cik must be 1 to 10 digits, got {cik!r}")
    if not isinstance(form_type, str) or not _FORM_TYPE.fullmatch(form_type):
        raise ValueError(f"form_type must look like 10-K or 8-K, got {form_type!r}")
    if isinstance(size, bool) or not isinstance(size, int) or not 1 <= size <= MAX_PAGE_SIZE:
        raise ValueError(f"size must be between 1 and {MAX_PAGE_SIZE}, got {size!r}")


class SecApiClient:
    def __init__(
        self,
        base_url: str,
        api_key: str,
        *,
        timeout: float = 10.0,
        max_retries: int = MAX_RETRIES,
        backoff_factor: float = 0.5,
    ) -> None:
        if not api_key:
            raise ValueError("api_key is empty")
        self._url = base_url
        self._api_key = api_key
        if not (math.isfinite(timeout) and timeout > 0):
            raise ValueError(f"timeout must be a finite number of seconds above 0, got {timeout!r}")
        # Every attempt (connect, send, read the whole answer) ends within ``timeout``.
        self._timeout = timeout
        retry = _CappedRetry(
            retry_after_cap=timeout,
            total=max_retries,
            connect=max_retries,
            # A server that took the query and went silent is not asked again here: the state
            # machine retries Sec.Unavailable with its own backoff, so a silent API fails the
            # task in (max attempts x timeout), not (retries x retries x timeout).
            read=0,
            status=max_retries,
            status_forcelist=RETRY_STATUSES,
            # POST is not idempotent in general, but a query is a read: safe to repeat.
            allowed_methods=frozenset({"POST"}),
            backoff_factor=backoff_factor,
            respect_retry_after_header=True,
            # Hand back the last response instead of raising, so it maps to a named error.
            raise_on_status=False,
        )
        self._session = requests.Session()
        adapter = HTTPAdapter(max_retries=retry)
        self._session.mount("http://", adapter)
        self._session.mount("https://", adapter)
        self._session.headers.update({"Authorization": api_key, "Accept": "application/json"})

    def close(self) -> None:
        self._session.close()

    def __enter__(self) -> SecApiClient:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def _scrub(self, text: str) -> str:
        # Server-supplied text goes into messages; make sure the key never rides along.
        return mask(text, self._api_key)

    def _post(self, body: dict[str, Any], what: str) -> tuple[requests.Response, bytes]:
        """The response and its body, read within the deadline and up to MAX_ANSWER_BYTES."""
        try:
            response = self._session.post(self._url, json=body, timeout=self._timeout, stream=True)
            with response:
                return response, self._read_body(response, what)
        except requests.Timeout:
            raise SecUnavailable(f"SEC API timed out after retries fetching {what}") from None
        except requests.RequestException as exc:
            # The chained error keeps the details for debugging; it can name the URL but never
            # the key, which is only ever in a header.
            raise SecUnavailable(
                f"SEC API unreachable after retries fetching {what}: {type(exc).__name__}"
            ) from exc

    def _read_body(self, response: requests.Response, what: str) -> bytes:
        # The read timeout is per chunk; a server that drips bytes is held to one deadline too.
        deadline = time.monotonic() + self._timeout
        chunks, size = [], 0
        for chunk in response.iter_content(64 * 1024):
            size += len(chunk)
            if size > MAX_ANSWER_BYTES:
                raise SecInvalidAnswer(f"SEC API sent an answer over {MAX_ANSWER_BYTES} bytes fetching {what}")
            if time.monotonic() > deadline:
                raise SecUnavailable(f"SEC API did not finish its answer within {self._timeout:g} s fetching {what}")
            chunks.append(chunk)
        return b"".join(chunks)

    def latest_filings(self, cik: str, form_type: str, size: int = 1) -> list[dict]:
        """The ``size`` most recent ``form_type`` filings of company ``cik``, newest first."""
        _validate(cik, form_type, size)
        what = f"{form_type} filings for CIK {cik}"
        body = {
            "query": f'cik:{cik} AND formType:"{form_type}"',
            "from": "0",
            "size": str(size),
            "sort": [{"filedAt": {"order": "desc"}}],
        }
        response, content = self._post(body, what)
        status = response.status_code
        log.info("SEC API query for %s answered %d", what, status)
        if status in (401, 403):
            raise SecUnauthorized(f"SEC API rejected the API key ({status}) fetching {what}")
        if status == 429:
            raise SecThrottled(f"SEC API still throttling (429) after retries fetching {what}")
        if status >= 500:
            raise SecUnavailable(f"SEC API answered {status} after retries fetching {what}")
        if status != 200:
            detail = self._scrub(content[:200].decode("utf-8", errors="replace"))
            raise SecApiError(f"SEC API answered {status} fetching {what}: {detail}")
        try:
            payload = json.loads(content)
        except ValueError:
            raise SecUnavailable(f"SEC API sent a body that is not JSON fetching {what}") from None
        filings = payload.get("filings") if isinstance(payload, dict) else None
        if not isinstance(filings, list) or not all(isinstance(f, dict) for f in filings):
            raise SecUnavailable(f"SEC API sent JSON without a filings list fetching {what}")
        if not filings:
            raise SecNotFound(f"no {form_type} filings for CIK {cik}")
        return checked_filings(filings, size, what)
