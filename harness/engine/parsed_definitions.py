"""Each state machine definition parsed once, not once per execution.

Replaces ``moto.stepfunctions.parser.backend.execution_worker.ExecutionWorker._get_evaluation_entrypoint``,
which runs ``AmazonStateLanguageParser.parse`` (ANTLR lexing and parsing, then the preprocessor)
on the definition text at the start of every execution: a tenth of the emulator's busy time in a
burst of small executions. The program it builds holds no execution's state (each execution
keeps its own in its ``Environment``; a component's only lazily set field, its heap key, is the
same for every execution), so executions of one definition share the parsed program. Keyed by the
definition's exact text, so an updated state machine or a new version parses anew; bounded, so a
run that creates many machines does not grow without limit. A definition that does not parse is
not cached: it raises, as before, each time.
"""

from __future__ import annotations

import functools
import threading
from collections import OrderedDict

from moto.stepfunctions.parser.asl.component.eval_component import EvalComponent
from moto.stepfunctions.parser.asl.parse.asl_parser import AmazonStateLanguageParser
from moto.stepfunctions.parser.backend.execution_worker import ExecutionWorker

MAX_DEFINITIONS = 128

_programs: OrderedDict[str, EvalComponent] = OrderedDict()
_lock = threading.Lock()


def program_for(definition: str) -> EvalComponent:
    with _lock:
        program = _programs.get(definition)
        if program is not None:
            _programs.move_to_end(definition)
            return program
    # Parsed outside the lock: two first executions of one definition may both parse; one wins.
    program = AmazonStateLanguageParser.parse(definition)[0]
    with _lock:
        _programs.setdefault(definition, program)
        while len(_programs) > MAX_DEFINITIONS:
            _programs.popitem(last=False)
        return _programs[definition]


def install() -> None:
    original = ExecutionWorker._get_evaluation_entrypoint
    if getattr(original, "__parsed_once__", False):
        return

    @functools.wraps(original)
    def _get_evaluation_entrypoint(self: ExecutionWorker) -> EvalComponent:
        return program_for(self._evaluation_details.state_machine_details.definition)

    _get_evaluation_entrypoint.__parsed_once__ = True  # type: ignore[attr-defined]
    ExecutionWorker._get_evaluation_entrypoint = _get_evaluation_entrypoint  # type: ignore[method-assign]
