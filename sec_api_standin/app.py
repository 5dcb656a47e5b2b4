"""The WSGI application: the Query API at ``POST /`` and the stand-in's ``/_standin/`` controls."""

from __future__ import annotations

import json
import logging
import threading
from dataclasses import dataclass, field
from typing import Any

from flask import Flask, Response, jsonify, request
from werkzeug.exceptions import HTTPException

from sec_api_standin.auth import AuthResult, check_key, presented_key
from sec_api_standin.faults import FaultBook, FaultSpecError, parse_fault
from sec_api_standin.filings import FilingStore
from sec_api_standin.hostile_answers import hostile_filings
from sec_api_standin.query import QueryError, normalise_cik
from sec_api_standin.rate_limit import TokenBucket, retry_after_header
from sec_api_standin.search_request import BadRequest, parse_search_request
from sec_api_standin.stats import QueryStats

log = logging.getLogger("sec_api_standin.requests")

_REASONS = {
    429: "Too many requests",
    500: "Internal server error",
    502: "Bad gateway",
    503: "Service unavailable",
    504: "Gateway timeout",
}


@dataclass
class StandinState:
    api_key: str
    store: FilingStore
    bucket: TokenBucket | None  # None: no rate limit
    faults: FaultBook = field(default_factory=FaultBook)
    stats: QueryStats = field(default_factory=QueryStats)
    # Set when faults are cleared: a query held by a "silent" answer or a delay is let go then.
    released: threading.Event = field(default_factory=threading.Event)

    def hold_silent(self) -> None:
        """Hold a query unanswered until faults are cleared (or SILENT_MAX_SECONDS pass)."""
        self.released.wait(SILENT_MAX_SECONDS)


# A silent answer never outlives a forgotten fault by more than this.
SILENT_MAX_SECONDS = 300.0


def _error(status: int, message: str, headers: dict[str, str] | None = None) -> Response:
    response = jsonify({"status": status, "error": message})
    response.status_code = status
    response.headers.update(headers or {})
    return response


def _answer_query(state: StandinState) -> tuple[Response, str | None]:
    """The response to one query, and the company it was about (for stats)."""
    auth = check_key(presented_key(request.headers, request.args), state.api_key)
    if auth is AuthResult.MISSING:
        return _error(401, "missing API key: send it in the Authorization header or as token"), None
    if auth is AuthResult.WRONG:
        return _error(403, "invalid API key"), None
    try:
        search = parse_search_request(request.get_data())
    except (BadRequest, QueryError) as exc:
        return _error(400, str(exc)), None
    cik = state.store.cik_of(search.terms)
    if state.bucket is not None:
        wait = state.bucket.try_acquire()
        if wait:
            return _error(429, _REASONS[429], {"Retry-After": retry_after_header(wait)}), cik
    fault = state.faults.take(cik)
    if fault is not None and fault.delay is not None:
        # A slow server: whatever the answer, it comes this much later (bounded by the fault's
        # parser), or as soon as faults are cleared, as a silent answer is let go then.
        state.released.wait(fault.delay)
    if fault is not None and fault.answer == "silent":
        state.hold_silent()
        return _error(504, _REASONS[504]), cik
    result = state.store.search(search.terms, search.offset, search.size, search.descending)
    if fault is not None and fault.answer is not None:
        return jsonify({"total": {"value": result.total, "relation": "eq"},
                        "query": {"from": search.offset, "size": search.size},
                        "filings": hostile_filings(fault.answer, result.filings)}), cik
    if fault is not None and fault.status is not None:
        headers = {}
        if fault.retry_after is not None:
            headers["Retry-After"] = str(fault.retry_after)
        return _error(fault.status, _REASONS[fault.status], headers), cik
    body: dict[str, Any] = {
        "total": {"value": result.total, "relation": "eq"},
        "query": {"from": search.offset, "size": search.size},
        "filings": result.filings,
    }
    return jsonify(body), cik


def create_app(state: StandinState) -> Flask:
    app = Flask("sec_api_standin")
    # Keep fields in the order sec-api.io sends them (total, query, filings), not alphabetical.
    app.json.sort_keys = False  # type: ignore[attr-defined]

    @app.post("/")
    def query() -> Response:
        response, cik = _answer_query(state)
        state.stats.record(response.status_code, cik)
        return response

    @app.get("/_standin/health")
    def health() -> Response:
        return jsonify({"status": "ok"})

    @app.get("/_standin/faults")
    def list_faults() -> Response:
        return jsonify({"faults": [f.to_json() for f in state.faults.active()]})

    @app.post("/_standin/faults")
    def add_fault() -> Response:
        try:
            fault = parse_fault(json.loads(request.get_data() or b"null"))
        except (json.JSONDecodeError, UnicodeDecodeError):
            return _error(400, "fault body is not valid JSON")
        except FaultSpecError as exc:
            return _error(400, str(exc))
        state.faults.add(fault)
        response = jsonify({"fault": fault.to_json()})
        response.status_code = 201
        return response

    @app.delete("/_standin/faults")
    def clear_faults() -> Response:
        cik = request.args.get("cik")
        if cik is not None and not cik.isdigit():
            return _error(400, "cik must be digits")
        removed = state.faults.clear(normalise_cik(cik) if cik is not None else None)
        # Let go of every query a silent answer holds; the next silent one waits anew.
        released, state.released = state.released, threading.Event()
        released.set()
        return jsonify({"cleared": removed})

    @app.get("/_standin/stats")
    def stats() -> Response:
        return jsonify(state.stats.to_json())

    @app.delete("/_standin/stats")
    def reset_stats() -> Response:
        state.stats.reset()
        return jsonify({"reset": True})

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException) -> Response:
        # JSON for 404/405 too, so clients can always parse the error body.
        return _error(exc.code or 500, exc.description or exc.name)

    @app.after_request
    def log_request(response: Response) -> Response:
        # request.path excludes the query string, which may carry the API key as ?token=.
        log.info("%s %s %s", request.method, request.path, response.status_code)
        return response

    return app
