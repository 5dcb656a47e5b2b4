"""Check the API key a request carries, the way sec-api.io accepts it."""

from __future__ import annotations

import hmac
from enum import Enum
from typing import Mapping


class AuthResult(Enum):
    OK = "ok"
    MISSING = "missing"
    WRONG = "wrong"


def presented_key(headers: Mapping[str, str], args: Mapping[str, str]) -> str:
    """The key from the Authorization header (raw or ``Bearer``), else the ``token`` parameter."""
    header = headers.get("Authorization", "").strip()
    if header.lower().startswith("bearer "):
        header = header[len("bearer ") :].strip()
    return header or args.get("token", "").strip()


def check_key(presented: str, expected: str) -> AuthResult:
    if not presented:
        return AuthResult.MISSING
    # Constant-time comparison, on bytes so a non-ASCII guess cannot raise.
    if hmac.compare_digest(presented.encode("utf-8"), expected.encode("utf-8")):
        return AuthResult.OK
    return AuthResult.WRONG
