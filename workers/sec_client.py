"""Client for sec-api.io's Query API (or the local stand-in), as the utilities app uses it.

Failures surface as named errors whose ``error_name`` is the Step Functions task failure name,
so the state machine can Retry or Catch on ``Sec.Throttled`` or ``Sec.NotFound`` specifically.
The API key travels only in the ``Authorization`` header: URLs end up in exception messages and
access logs, headers do not.
"""

from __future__ import annotations

import logging
import re
from typing import Any

import requests
from requests.adapters import HTTPAdapter
from urllib3.util import Retry

log = logging.getLogger(__name__)

RETRY_STATUSES = (429, 500, 502, 503, 504)
MAX_PAGE_SIZE = 50  # the Query API's own cap per request

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
        max_retries: int = 3,
        backoff_factor: float = 0.5,
    ) -> None:
        if not api_key:
            raise ValueError("api_key is empty")
        self._url = base_url
        self._api_key = api_key
        self._timeout = timeout
        retry = Retry(
            total=max_retries,
            connect=max_retries,
            read=max_retries,
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
        return text.replace(self._api_key, "***")

    def _post(self, body: dict[str, Any], what: str) -> requests.Response:
        try:
            return self._session.post(self._url, json=body, timeout=self._timeout)
        except requests.Timeout:
            raise SecUnavailable(f"SEC API timed out after retries fetching {what}") from None
        except requests.RequestException as exc:
            # The chained error keeps the details for debugging; it can name the URL but never
            # the key, which is only ever in a header.
            raise SecUnavailable(
                f"SEC API unreachable after retries fetching {what}: {type(exc).__name__}"
            ) from exc

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
        response = self._post(body, what)
        status = response.status_code
        log.info("SEC API query for %s answered %d", what, status)
        if status in (401, 403):
            raise SecUnauthorized(f"SEC API rejected the API key ({status}) fetching {what}")
        if status == 429:
            raise SecThrottled(f"SEC API still throttling (429) after retries fetching {what}")
        if status >= 500:
            raise SecUnavailable(f"SEC API answered {status} after retries fetching {what}")
        if status != 200:
            detail = self._scrub(response.text[:200])
            raise SecApiError(f"SEC API answered {status} fetching {what}: {detail}")
        try:
            payload = response.json()
        except ValueError:
            raise SecUnavailable(f"SEC API sent a body that is not JSON fetching {what}") from None
        filings = payload.get("filings") if isinstance(payload, dict) else None
        if not isinstance(filings, list) or not all(isinstance(f, dict) for f in filings):
            raise SecUnavailable(f"SEC API sent JSON without a filings list fetching {what}")
        if not filings:
            raise SecNotFound(f"no {form_type} filings for CIK {cik}")
        return filings
