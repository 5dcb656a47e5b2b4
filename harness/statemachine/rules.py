"""Static checks of an ASL definition, reported as AWS's diagnostics (code, message, location).

What AWS refuses at CreateStateMachine / UpdateStateMachine / ValidateStateMachineDefinition and
moto accepts: a transition to no state, a state nothing reaches, a missing StartAt or Type,
a field the state type does not have, a JSONPath-only field in a JSONata state (or the reverse),
a path that is not a JSONPath, and a JSONata expression that does not parse. Messages follow
AWS's form ("MISSING_TRANSITION_TARGET: Missing 'Next' target: X at /States/A/Next"), so the
state and the field are named in the location. Pure functions of the parsed JSON: no moto here,
so the harness checks a definition with them before anything starts, and the emulator's engine
refuses with them what AWS refuses (harness/engine/definition_validation.py).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, Final

from harness.statemachine import walk

JSONATA: Final = "JSONata"
JSONPATH: Final = "JSONPath"


@dataclass(frozen=True)
class Diagnostic:
    code: str
    message: str
    location: str
    severity: str = "ERROR"

    def render(self) -> str:
        return f"{self.code}: {self.message} at {self.location}"


_COMMON: Final = {"Type", "Comment", "QueryLanguage"}
_IO_PATHS: Final = {"InputPath", "OutputPath"}
_ALLOWED: Final[dict[str, set[str]]] = {
    "Pass": _COMMON | _IO_PATHS | {"Next", "End", "ResultPath", "Parameters", "Result", "Assign", "Output"},
    "Task": _COMMON | _IO_PATHS | {"Next", "End", "Resource", "ResultPath", "Parameters", "ResultSelector",
                                   "Retry", "Catch", "TimeoutSeconds", "TimeoutSecondsPath", "HeartbeatSeconds",
                                   "HeartbeatSecondsPath", "Credentials", "Assign", "Arguments", "Output"},
    "Choice": _COMMON | _IO_PATHS | {"Choices", "Default", "Assign", "Output"},
    "Wait": _COMMON | _IO_PATHS | {"Next", "End", "Seconds", "SecondsPath", "Timestamp", "TimestampPath",
                                   "Assign", "Output"},
    "Succeed": _COMMON | _IO_PATHS | {"Output"},
    "Fail": _COMMON | {"Error", "ErrorPath", "Cause", "CausePath"},
    "Parallel": _COMMON | _IO_PATHS | {"Next", "End", "Branches", "ResultPath", "Parameters", "ResultSelector",
                                       "Retry", "Catch", "Assign", "Arguments", "Output"},
    "Map": _COMMON | _IO_PATHS | {"Next", "End", "Iterator", "ItemProcessor", "ItemsPath", "Items",
                                  "ItemSelector", "Parameters", "MaxConcurrency", "MaxConcurrencyPath",
                                  "ResultPath", "ResultSelector", "Retry", "Catch", "ItemReader", "ItemBatcher",
                                  "ResultWriter", "ToleratedFailurePercentage", "ToleratedFailurePercentagePath",
                                  "ToleratedFailureCount", "ToleratedFailureCountPath", "Label", "Assign",
                                  "Arguments", "Output"},
}
# Fields of one query language only (AWS guide, "JSONata in Step Functions": JSONata states use
# Arguments/Output/Items; the *Path fields, Parameters and ResultSelector are JSONPath's).
_JSONPATH_ONLY: Final = {"InputPath", "OutputPath", "ResultPath", "Parameters", "ResultSelector", "ItemsPath",
                         "TimeoutSecondsPath", "HeartbeatSecondsPath", "SecondsPath", "TimestampPath",
                         "ErrorPath", "CausePath", "MaxConcurrencyPath", "ToleratedFailurePercentagePath",
                         "ToleratedFailureCountPath"}
_JSONATA_ONLY: Final = {"Arguments", "Output", "Items"}
_PATH_FIELDS: Final = _JSONPATH_ONLY - {"Parameters", "ResultSelector"}
_NULLABLE_PATHS: Final = {"InputPath", "OutputPath", "ResultPath"}
_INTRINSIC_PATHS: Final = {"ErrorPath", "CausePath"}  # these may hold an intrinsic function
_TERMINAL: Final = {"Choice", "Succeed", "Fail"}
_JSONATA_TEMPLATE = re.compile(r"^\{%(.*)%\}$", re.S)
# A reference path or JSONPath as ASL uses them: "$", "$.a", "$['a']", "$$.Execution.Id",
# "$var.x" (variables). The full grammar is moto's; this catches what is plainly not a path.
_PATH = re.compile(r"^\$\$?([A-Za-z_][A-Za-z0-9_]*)?([.\[].*)?$", re.S)


def _loc(*parts: str) -> str:
    return "/" + "/".join(p.replace("~", "~0").replace("/", "~1") for p in parts)


class _Checker:
    def __init__(self, check_jsonata: Callable[[str], str | None]):
        self.check_jsonata = check_jsonata
        self.out: list[Diagnostic] = []

    def add(self, code: str, message: str, *where: str) -> None:
        self.out.append(Diagnostic(code, message, _loc(*where) if where else "/"))

    # ---- a container: the top level, a Parallel branch, a Map's processor ----------------
    def machine(self, node: Any, where: tuple[str, ...], language: str, top: bool) -> None:
        if not isinstance(node, dict):
            self.add("SCHEMA_VALIDATION_FAILED", "Expected an object", *where)
            return
        missing = [f for f in ("StartAt", "States") if f not in node]
        if missing:
            self.add("SCHEMA_VALIDATION_FAILED", f"These fields are required: [{', '.join(missing)}]", *where)
        if top and node.get("QueryLanguage") is not None:
            language = node["QueryLanguage"]
        states = node.get("States")
        if not isinstance(states, dict):
            return
        if "QueryLanguage" in states:
            # AWS deploys a QueryLanguage member inside States (its published samples do) and reads
            # it as the language of the block's states.
            states = dict(states)
            block_language = states.pop("QueryLanguage")
            if block_language in (JSONATA, JSONPATH):
                language = block_language
            else:
                self.add("SCHEMA_VALIDATION_FAILED", f"Field 'QueryLanguage' has an invalid value: {block_language}",
                         *where, "States", "QueryLanguage")
        start = node.get("StartAt")
        if isinstance(start, str) and start not in states:
            self.add("MISSING_TRANSITION_TARGET", f"Missing 'StartAt' target: {start}", *where, "StartAt")
        targets: dict[str, list[str]] = {}
        for name, state in states.items():
            targets[name] = list(self.state(name, state, (*where, "States", name), language, states))
        # Unreachable: every state must be reached from StartAt through Next/Default/Choices/Catch.
        if isinstance(start, str) and start in states:
            seen, todo = {start}, [start]
            while todo:
                for nxt in targets.get(todo.pop(), []):
                    if nxt in states and nxt not in seen:
                        seen.add(nxt)
                        todo.append(nxt)
            for name in states:
                if name not in seen:
                    self.add("MISSING_TRANSITION_TARGET", f'State "{name}" is not reachable.', *where, "States", name)

    # ---- one state: yields the names it can transition to ----------------------------------
    def state(self, name: str, state: Any, where: tuple[str, ...], outer: str,
              siblings: dict[str, Any]) -> Iterator[str]:
        if not isinstance(state, dict):
            self.add("SCHEMA_VALIDATION_FAILED", "Expected an object", *where)
            return
        typ = state.get("Type")
        if typ is None:
            self.add("SCHEMA_VALIDATION_FAILED", "These fields are required: [Type]", *where)
            return
        if typ not in _ALLOWED:
            self.add("SCHEMA_VALIDATION_FAILED", f"Field 'Type' has an invalid value: {typ}", *where, "Type")
            return
        language = state.get("QueryLanguage") or outer
        if outer == JSONATA and state.get("QueryLanguage") == JSONPATH:
            self.add("SCHEMA_VALIDATION_FAILED",
                     "'QueryLanguage' can not be 'JSONPath' if set to 'JSONata' for whole state machine", *where)
        for field in state:
            if field not in _ALLOWED[typ]:
                self.add("SCHEMA_VALIDATION_FAILED", f"Field '{field}' is not supported", *where)
            elif language == JSONATA and field in _JSONPATH_ONLY:
                self.add("SCHEMA_VALIDATION_FAILED", f"The QueryLanguage is set to 'JSONata', but field '{field}' "
                         "is only supported for the 'JSONPath' QueryLanguage", *where)
            elif language != JSONATA and field in _JSONATA_ONLY:
                self.add("SCHEMA_VALIDATION_FAILED", f"The QueryLanguage is set to 'JSONPath', but field '{field}' "
                         "is only supported for the 'JSONata' QueryLanguage", *where)
        if typ not in _TERMINAL:
            has_next, has_end = "Next" in state, state.get("End") is True
            if has_next and has_end:
                self.add("SCHEMA_VALIDATION_FAILED", "Only one of 'Next' or 'End' can be set", *where)
            elif not has_next and not has_end:
                self.add("SCHEMA_VALIDATION_FAILED", "These fields are required: [Next | End]", *where)
        for field in _PATH_FIELDS & set(state):
            self.path(state[field], field, where, nullable=field in _NULLABLE_PATHS)
        self.values(state, where, language)
        yield from self.transitions(state, where, siblings)
        if typ in ("Parallel", "Map"):
            for inner in walk.nested(name, state):
                self.machine(inner.node, (*where, *inner.field), language, top=False)

    def transitions(self, state: dict[str, Any], where: tuple[str, ...], siblings: dict[str, Any]) -> Iterator[str]:
        for edge in walk.edges(state):
            if edge.target not in siblings:
                self.add("MISSING_TRANSITION_TARGET", f"Missing 'Next' target: {edge.target}", *where, *edge.field)
            yield edge.target

    def path(self, value: Any, field: str, where: tuple[str, ...], nullable: bool) -> None:
        if value is None and nullable:
            return
        if isinstance(value, str) and field in _INTRINSIC_PATHS and value.startswith("States."):
            return
        if not isinstance(value, str) or not _PATH.match(value):
            self.add("SCHEMA_VALIDATION_FAILED", f"The value for the field '{field}' must be a valid JSONPath",
                     *where, field)

    def values(self, node: Any, where: tuple[str, ...], language: str) -> None:
        """JSONata templates anywhere in the state must parse; "k.$" values must be paths."""
        if isinstance(node, dict):
            for k, v in node.items():
                if k in (*walk.NESTED_FIELDS, "Branches", "Result"):
                    continue  # states checked with their own language; Result is a literal
                if (isinstance(k, str) and k.endswith(".$") and isinstance(v, str) and language != JSONATA
                        and not v.startswith("States.") and not _PATH.match(v)):
                    self.add("SCHEMA_VALIDATION_FAILED", f"The value for the field '{k}' must be a valid JSONPath",
                             *where, k)
                self.values(v, (*where, str(k)), language)
        elif isinstance(node, list):
            for i, v in enumerate(node):
                self.values(v, (*where, str(i)), language)
        elif isinstance(node, str) and language == JSONATA:
            m = _JSONATA_TEMPLATE.match(node)
            if m:
                problem = self.check_jsonata(m.group(1))
                if problem:
                    self.add("SCHEMA_VALIDATION_FAILED",
                             f"The value for the field '{where[-1]}' must be a valid JSONata expression: {problem}",
                             *where)


def check_definition(definition: Any, check_jsonata: Callable[[str], str | None]) -> list[Diagnostic]:
    """All diagnostics for a parsed definition; empty if AWS would accept it (as far as checked)."""
    checker = _Checker(check_jsonata)
    if not isinstance(definition, dict):
        checker.add("INVALID_JSON_DESCRIPTION", "The definition must be a JSON object")
        return checker.out
    for field in definition:
        if field not in {"StartAt", "States", "Comment", "Version", "TimeoutSeconds", "QueryLanguage"}:
            checker.add("SCHEMA_VALIDATION_FAILED", f"Field '{field}' is not supported")
    checker.machine(definition, (), JSONPATH, top=True)
    return checker.out


def render(diagnostics: list[Diagnostic]) -> str:
    """The InvalidDefinition message AWS returns for these diagnostics."""
    return "Invalid State Machine Definition: '" + ", ".join(d.render() for d in diagnostics) + "'"
