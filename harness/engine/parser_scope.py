"""Each definition is parsed with its own QueryLanguage scope stack.

moto's ``Preprocessor`` keeps ``_query_language_per_scope`` as a *class* attribute, one list
shared by every parse in the process. Two definitions parsed at once (the server is threaded),
or a parse that fails half way and leaves its scopes behind, make the next JSONPath definition
look like JSONata (or the reverse), and CreateStateMachine rejects valid definitions with
"Unsupported declaration in QueryLanguage=JSONPath block". AWS accepts them; giving every
Preprocessor instance its own list restores that.
"""

from __future__ import annotations

import functools
from typing import Any

from moto.stepfunctions.parser.asl.parse.preprocessor import Preprocessor


def install() -> None:
    original = Preprocessor.__init__
    if getattr(original, "__own_scope__", False):
        return

    @functools.wraps(original)
    def __init__(self: Preprocessor, *args: Any, **kwargs: Any) -> None:
        original(self, *args, **kwargs)
        self._query_language_per_scope = []

    __init__.__own_scope__ = True  # type: ignore[attr-defined]
    Preprocessor.__init__ = __init__  # type: ignore[method-assign]
