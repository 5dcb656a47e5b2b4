"""The recorded filings the stand-in serves, loaded from ``fixtures/*.json`` (one per company)."""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sec_api_standin.query import Equals, Term, matches_all, normalise_cik

FIXTURES_DIR = Path(__file__).with_name("fixtures")

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class SearchResult:
    total: int
    filings: list[dict[str, Any]]


class FilingStore:
    def __init__(self, filings: list[dict[str, Any]]) -> None:
        self._filings = filings
        self._cik_by_ticker = {f["ticker"].upper(): f["cik"] for f in filings if f.get("ticker")}

    @classmethod
    def from_directory(cls, directory: Path = FIXTURES_DIR) -> FilingStore:
        filings: list[dict[str, Any]] = []
        for path in sorted(directory.glob("*.json")):
            company = json.loads(path.read_text(encoding="utf-8"))
            for filing in company["filings"]:
                # A filing filed under the wrong company would make cik-scoped faults lie.
                if filing["cik"] != company["cik"]:
                    raise ValueError(f"{path.name}: filing {filing['accessionNo']} has another cik")
            filings.extend(company["filings"])
        log.info("loaded %d filings from %s", len(filings), directory)
        return cls(filings)

    def cik_of(self, terms: list[Term]) -> str | None:
        """The company a query is about, by cik or ticker, so faults and stats can scope to it."""
        for term in terms:
            if isinstance(term, Equals) and term.field == "cik":
                return term.value
        for term in terms:
            if isinstance(term, Equals) and term.field == "ticker":
                cik = self._cik_by_ticker.get(term.value.upper())
                return normalise_cik(cik) if cik else None
        return None

    def search(self, terms: list[Term], offset: int, size: int, descending: bool) -> SearchResult:
        found = [f for f in self._filings if matches_all(f, terms)]
        # filedAt carries its own offset; ISO strings of one company share it, but compare as
        # instants anyway so mixed offsets sort correctly.
        found.sort(key=lambda f: datetime.fromisoformat(f["filedAt"]), reverse=descending)
        return SearchResult(total=len(found), filings=found[offset : offset + size])
