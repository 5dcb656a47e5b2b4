"""Step Functions Local mock configuration files: read and checked, as plain data.

The format is AWS's (developer guide, "Configuration file for mocked service integrations"):

    {"StateMachines": {"<state machine name>": {"TestCases": {"<test case>": {"<state>": "<response>"}}}},
     "MockedResponses": {"<response>": {"0": {"Return": ...}, "1-2": {"Throw": {"Error": ..., "Cause": ...}}}}}

Each key of a mocked response is a call index or an inclusive range of them, counted from 0; the
ranges of one response must follow each other without a gap. Every mistake is reported when the
file is read, with where it is, so a bad file stops the emulator at start-up instead of failing
an execution later. Pure functions of the parsed JSON: no moto here.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

_RANGE = re.compile(r"^\s*(\d+)\s*(?:-\s*(\d+)\s*)?$")


class MockConfigError(ValueError):
    """The mock configuration file cannot be used; the message says where and why."""


@dataclass(frozen=True)
class Returned:
    payload: Any


@dataclass(frozen=True)
class Thrown:
    error: str
    cause: str


Response = Returned | Thrown


@dataclass(frozen=True)
class MockedCase:
    state_machine: str
    name: str
    # State name -> its responses, one per call, in call order.
    responses: dict[str, tuple[Response, ...]]


@dataclass(frozen=True)
class MockConfig:
    test_cases: dict[tuple[str, str], MockedCase]

    def test_case(self, state_machine: str, name: str) -> MockedCase | None:
        """The test case for this state machine: keyed by its name, or by its name without a
        prefix (``orders`` for ``shop-w1-orders``), so one file serves
        every run's ``RESOURCE_PREFIX``; an exact name wins."""
        exact = self.test_cases.get((state_machine, name))
        if exact is not None:
            return exact
        for (machine, case_name), case in self.test_cases.items():
            if case_name == name and state_machine.endswith(f"-{machine}"):
                return case
        return None


def _object(value: Any, where: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise MockConfigError(f"{where} must be a JSON object")
    return value


def _index_range(key: str, where: str) -> tuple[int, int]:
    m = _RANGE.match(key)
    if not m:
        raise MockConfigError(f"{where}: '{key}' is neither a call index ('0') nor a range ('1-2')")
    first = int(m.group(1))
    last = int(m.group(2)) if m.group(2) is not None else first
    if last < first:
        raise MockConfigError(f"{where}: range '{key}' ends before it starts")
    return first, last


def _response(value: Any, where: str) -> Response:
    body = _object(value, where)
    kinds = [k for k in ("Return", "Throw") if k in body]
    if len(kinds) != 1 or len(body) != 1:
        raise MockConfigError(f"{where} must hold exactly one of 'Return' or 'Throw'")
    if kinds[0] == "Return":
        return Returned(body["Return"])
    throw = _object(body["Throw"], f"{where}.Throw")
    error, cause = throw.get("Error"), throw.get("Cause", "")
    if not isinstance(error, str) or not isinstance(cause, str):
        raise MockConfigError(f"{where}.Throw needs a string 'Error' (and 'Cause', if given, a string)")
    return Thrown(error, cause)


def _responses(name: str, value: Any) -> tuple[Response, ...]:
    where = f"MockedResponses.{name}"
    ranges = sorted((_index_range(key, where), key, raw) for key, raw in _object(value, where).items())
    if not ranges:
        raise MockConfigError(f"{where} defines no response")
    out: list[Response] = []
    for (first, last), key, raw in ranges:
        if first != len(out):
            raise MockConfigError(f"{where}: '{key}' starts at call {first}, but call {len(out)} is the next "
                                  "without a response (ranges must follow each other from 0)")
        response = _response(raw, f"{where}.{key}")
        out.extend([response] * (last - first + 1))
    return tuple(out)


def parse_mock_config(document: Any) -> MockConfig:
    root = _object(document, "the mock configuration")
    machines = _object(root.get("StateMachines", {}), "StateMachines")
    mocked = _object(root.get("MockedResponses", {}), "MockedResponses")
    responses = {name: _responses(name, value) for name, value in mocked.items()}
    cases: dict[tuple[str, str], MockedCase] = {}
    for machine, spec in machines.items():
        test_cases = _object(_object(spec, f"StateMachines.{machine}").get("TestCases", {}),
                             f"StateMachines.{machine}.TestCases")
        for case, states in test_cases.items():
            where = f"StateMachines.{machine}.TestCases.{case}"
            chosen: dict[str, tuple[Response, ...]] = {}
            for state, response_name in _object(states, where).items():
                if response_name not in responses:
                    raise MockConfigError(f"{where}.{state} names the mocked response {response_name!r}, "
                                          "which MockedResponses does not define")
                chosen[state] = responses[response_name]
            cases[(machine, case)] = MockedCase(machine, case, chosen)
    return MockConfig(cases)


def load_mock_config(path: Path | str) -> MockConfig:
    path = Path(path)
    try:
        document = json.loads(path.read_text())
    except OSError as exc:
        raise MockConfigError(f"cannot read the mock configuration {path}: {exc.strerror}") from None
    except ValueError as exc:
        raise MockConfigError(f"the mock configuration {path} is not valid JSON: {exc}") from None
    try:
        return parse_mock_config(document)
    except MockConfigError as exc:
        raise MockConfigError(f"{path}: {exc}") from None
