"""Definitions AWS deploys that moto's ASL grammar cannot parse are parsed, and run.

moto's parser (an ANTLR grammar compiled into ``moto.stepfunctions.parser.asl.antlr``) predates
parts of the Distributed Map and refuses, with a parser exception, definitions AWS accepts:
``"ExecutionType": "EXPRESS"`` in a ``ProcessorConfig``, ``ItemBatcher``, an integer
``ToleratedFailurePercentage`` (its grammar takes only decimals), a ``ReaderConfig`` without
``InputType`` or with ``JSONL``/``MANIFEST``, a ``QueryLanguage`` member inside ``States``, and
``ErrorEquals`` names with the ``States.`` prefix that are not among the predefined ones.

Rather than fork the grammar, every definition handed to ``AmazonStateLanguageParser.parse`` is
first rewritten into the form the grammar knows (EXPRESS read as STANDARD: both run the same
here, an integer percentage as its decimal, ...) and what the rewrite took out is kept per Map
state and put back on the parsed state (``MapExtensions``), where ``distributed_map_runtime``
uses it. The stored definition (DescribeStateMachine) is the one the user sent. Definitions
that need no rewrite reach moto's grammar byte for byte.
"""

from __future__ import annotations

import contextvars
import copy
import functools
import json
from dataclasses import dataclass
from typing import Any

from moto.stepfunctions.parser.asl.component.common.error_name.error_name import ErrorName
from moto.stepfunctions.parser.asl.component.state.exec.state_map.state_map import StateMap
from moto.stepfunctions.parser.asl.parse.asl_parser import AmazonStateLanguageParser
from moto.stepfunctions.parser.asl.parse.preprocessor import Preprocessor

_GRAMMAR_INPUT_TYPES = {"CSV", "JSON"}


@dataclass
class MapExtensions:
    """What a Map state declares that moto's grammar has no place for."""

    item_batcher: dict[str, Any] | None = None
    input_type: str | None = None  # JSONL, MANIFEST: read by distributed_map_runtime
    reader_max_items: int | None = None  # a ReaderConfig without InputType (listObjectsV2)
    execution_type: str = "STANDARD"


_pending: contextvars.ContextVar[dict[str, MapExtensions] | None] = contextvars.ContextVar(
    "asl_extensions_pending", default=None)


class _Rewriter:
    def __init__(self) -> None:
        self.maps: dict[str, MapExtensions] = {}
        self.changed = False

    def machine(self, node: Any, top: bool, doc: dict[str, Any]) -> None:
        if not isinstance(node, dict):
            return
        states = node.get("States")
        if not isinstance(states, dict):
            return
        language = states.get("QueryLanguage")
        if isinstance(language, str):
            # A QueryLanguage inside States (published samples deploy so) is that block's language.
            del states["QueryLanguage"]
            self.changed = True
            if top and "QueryLanguage" not in doc:
                doc["QueryLanguage"] = language
            else:
                for state in states.values():
                    if isinstance(state, dict):
                        state.setdefault("QueryLanguage", language)
        for name, state in states.items():
            if isinstance(state, dict):
                self.state(name, state, doc)

    def state(self, name: str, state: dict[str, Any], doc: dict[str, Any]) -> None:
        if state.get("Type") == "Parallel":
            for branch in state.get("Branches") or []:
                self.machine(branch, False, doc)
        if state.get("Type") != "Map":
            return
        ext = MapExtensions()
        for key in ("ItemProcessor", "Iterator"):
            processor = state.get(key)
            if not isinstance(processor, dict):
                continue
            config = processor.get("ProcessorConfig")
            if isinstance(config, dict) and config.get("ExecutionType") == "EXPRESS":
                config["ExecutionType"] = "STANDARD"
                ext.execution_type = "EXPRESS"
                self.changed = True
            self.machine(processor, False, doc)
        if "ItemBatcher" in state:
            ext.item_batcher = state.pop("ItemBatcher")
            self.changed = True
        percentage = state.get("ToleratedFailurePercentage")
        if isinstance(percentage, int) and not isinstance(percentage, bool):
            state["ToleratedFailurePercentage"] = float(percentage)
            self.changed = True
        reader = state.get("ItemReader")
        config = reader.get("ReaderConfig") if isinstance(reader, dict) else None
        if isinstance(config, dict):
            input_type = config.get("InputType")
            if input_type is None:
                # listObjectsV2 reads object listings: no InputType, at most MaxItems.
                del reader["ReaderConfig"]
                ext.reader_max_items = config.get("MaxItems")
                self.changed = True
            elif input_type not in _GRAMMAR_INPUT_TYPES:
                ext.input_type = input_type
                config["InputType"] = "JSON"
                self.changed = True
        if ext != MapExtensions():
            self.maps[name] = ext


def rewrite(definition: str) -> tuple[str, dict[str, MapExtensions]]:
    """The text moto's grammar accepts for ``definition``, and what was taken out, per Map state."""
    try:
        doc = json.loads(definition)
    except ValueError:
        return definition, {}
    if not isinstance(doc, dict):
        return definition, {}
    doc = copy.deepcopy(doc)
    rewriter = _Rewriter()
    rewriter.machine(doc, True, doc)
    if not rewriter.changed:
        return definition, {}
    return json.dumps(doc), rewriter.maps


class UnlistedStatesErrorName(ErrorName):
    """An ``ErrorEquals`` name with the ``States.`` prefix that the language does not define.

    AWS deploys such definitions (its published samples catch ``States.TaskFailedId``); the name
    matches an error of exactly that name, as any other error name does.
    """


def install() -> None:
    original_parse = AmazonStateLanguageParser.parse
    if getattr(original_parse, "__rewrites__", False):
        return

    @functools.wraps(original_parse)
    def parse(definition: str) -> Any:
        text, maps = rewrite(definition)
        token = _pending.set(maps)
        try:
            return original_parse(text)
        finally:
            _pending.reset(token)

    parse.__rewrites__ = True  # type: ignore[attr-defined]
    AmazonStateLanguageParser.parse = staticmethod(parse)  # type: ignore[method-assign,assignment]

    original_state_decl = Preprocessor.visitState_decl

    @functools.wraps(original_state_decl)
    def visit_state_decl(self: Preprocessor, ctx: Any) -> Any:
        state = original_state_decl(self, ctx)
        maps = _pending.get() or {}
        if isinstance(state, StateMap) and state.name in maps:
            state.extensions = maps[state.name]  # type: ignore[attr-defined]
            state.iteration_component.extensions = maps[state.name]  # type: ignore[attr-defined]
            if state.item_reader is not None:
                state.item_reader.extensions = maps[state.name]  # type: ignore[attr-defined]
        return state

    Preprocessor.visitState_decl = visit_state_decl  # type: ignore[method-assign]

    original_error_name = Preprocessor.visitError_name

    @functools.wraps(original_error_name)
    def visit_error_name(self: Preprocessor, ctx: Any) -> ErrorName:
        try:
            return original_error_name(self, ctx)
        except ValueError:
            name = self._inner_string_of(parser_rule_context=ctx.string_literal())
            if isinstance(name, str) and name.startswith("States."):
                return UnlistedStatesErrorName(error_name=name)
            raise

    Preprocessor.visitError_name = visit_error_name  # type: ignore[method-assign]
