"""Step Functions errors raised by moto's interpreter reach the client with AWS's error code.

moto's Step Functions interpreter raises the exception classes of its ``parser.api`` module
(``MissingRequiredParameter``, ``ResourceNotFound``, ``ValidationException``, ...). Each names
its AWS error code in a ``code`` class attribute, but the base class they inherit answers with
``TYPE``, which none of them sets: UpdateStateMachine with nothing to update answered HTTP 400
with an empty error code, and an exception raised without a message (``ResourceNotFound()``)
failed to build at all, so DescribeMapRun and UpdateMapRun answered HTTP 500. Here every such
class answers with its own code and status, and a message is optional.
"""

from __future__ import annotations

import inspect
from typing import Any

from moto.core.exceptions import AWSError
from moto.stepfunctions.parser import api


def _init(self: AWSError, message: str = "", exception_type: str | None = None, status: int | None = None) -> None:
    AWSError.__init__(self, message, exception_type, status)


def service_exception_classes() -> list[type[AWSError]]:
    """The classes of ``parser.api`` that stand for an AWS error code."""
    return [cls for _, cls in inspect.getmembers(api, inspect.isclass)
            if issubclass(cls, AWSError) and cls is not AWSError and isinstance(cls.__dict__.get("code"), str)]


def install() -> None:
    for cls in service_exception_classes():
        code: Any = cls.__dict__["code"]
        cls.TYPE = code
        cls.STATUS = getattr(cls, "status_code", 400)
        cls.__init__ = _init  # type: ignore[method-assign]
