"""RedriveExecution: a failed Standard execution carries on from the state that failed.

AWS ("Restarting state machine executions with redrive", API reference RedriveExecution):
* only an execution ``redrive_rules`` accepts (FAILED, ABORTED or TIMED_OUT, Standard, within
  14 days); any other is ``ExecutionNotRedrivable`` with the reason;
* the same execution (same ARN) runs again, RUNNING, from the top-level state that did not
  succeed, with the input that state was given; states that succeeded are not run again; of a
  Parallel or inline Map state, only the branches and iterations that did not succeed run again
  (``redrive_branches``);
* its history goes on: an ``ExecutionRedriven`` event (``redriveCount``), then the new
  attempt's events, numbered after the old ones;
* ``redriveCount`` goes up by one, ``redriveDate`` is now (the response's too), and the
  context object's ``$$.Execution.RedriveCount`` says how often it was redriven.
* ``clientToken`` makes the call idempotent: the same token (one of the last 10 used, within
  15 minutes) answers the same ``redriveDate`` and redrives nothing again (the SDKs make one
  token per call, so a retried call does not redrive twice).
moto's server had no RedriveExecution (HTTP 500).
"""

from __future__ import annotations

import datetime
import json
from typing import Any

from moto.core.responses import ActionResult
from moto.stepfunctions.parser.api import (
    ExecutionNotRedrivable,
    ExecutionRedrivenEventDetails,
    ExecutionStatus,
    HistoryEventType,
)
from moto.stepfunctions.parser.asl.component.eval_component import EvalComponent
from moto.stepfunctions.parser.asl.eval.event.event_detail import EventDetails
from moto.stepfunctions.parser.asl.eval.event.event_manager import EventHistoryContext
from moto.stepfunctions.parser.asl.parse.asl_parser import AmazonStateLanguageParser
from moto.stepfunctions.parser.backend.execution_worker import ExecutionWorker
from moto.stepfunctions.responses import StepFunctionResponse

from harness.engine import execution_status_events, redrive_branches, redrive_rules
from harness.engine.actions import param, register


def restart_point(definition: dict[str, Any], events: list[dict[str, Any]]) -> tuple[str, Any]:
    """The top-level state the last attempt entered and did not leave, and the input it was given."""
    top_level = set(definition.get("States", {}))
    for event in reversed(events):
        entered = event.get("stateEnteredEventDetails")
        if entered and entered.get("name") in top_level:
            # The last top-level state entered: the one the execution stopped in.
            return entered["name"], json.loads(entered.get("input") or "{}")
    return definition["StartAt"], None


class RedriveWorker(ExecutionWorker):
    """Runs an execution's definition from ``start_at`` on, appending to the earlier history."""

    def __init__(self, earlier: ExecutionWorker, start_at: str, start_input: Any, redrive_count: int) -> None:
        super().__init__(earlier._evaluation_details, earlier._execution_communication,
                         earlier._cloud_watch_logging_session, earlier._activity_store,
                         getattr(earlier, "_mock_test_case", None))
        self._earlier_env = earlier.env
        self._start_at = start_at
        states = json.loads(earlier._evaluation_details.state_machine_details.definition).get("States", {})
        self._start_at_type = states.get(start_at, {}).get("Type")
        self._start_input = start_input
        self._redrive_count = redrive_count

    def _get_evaluation_entrypoint(self) -> EvalComponent:
        definition = json.loads(self._evaluation_details.state_machine_details.definition)
        definition["StartAt"] = self._start_at
        return AmazonStateLanguageParser.parse(json.dumps(definition))[0]

    def _execution_logic(self) -> None:
        program = self._get_evaluation_entrypoint()
        env = self._get_evaluation_environment()
        earlier_events = self._earlier_env.event_manager
        env.event_manager = earlier_events
        if self._start_at_type in ("Parallel", "Map"):
            redrive_branches.arm(env, self._start_at)  # only its branches or iterations that did not succeed
        last_id = len(earlier_events.get_event_history())
        env.event_history_context = EventHistoryContext(previous_event_id=last_id)
        env.states.context_object.context_object_data["Execution"]["RedriveCount"] = self._redrive_count
        if self._start_input is not None:
            env.states.reset(self._start_input)
        self.env = env
        env.event_manager.add_event(
            context=env.event_history_context,
            event_type=HistoryEventType.ExecutionRedriven,
            event_details=EventDetails(executionRedrivenEventDetails=ExecutionRedrivenEventDetails(
                redriveCount=self._redrive_count)),
        )
        program.eval(env)
        self._execution_communication.terminated()


TOKENS_KEPT = 10
TOKEN_LIFETIME = datetime.timedelta(minutes=15)


def _earlier_answer(execution: Any, token: str | None, now: datetime.datetime) -> datetime.datetime | None:
    """The redriveDate already answered to ``token``, if it is still one of the kept ones."""
    tokens: dict[str, tuple[datetime.datetime, datetime.datetime]] = getattr(execution, "redrive_tokens", {})
    if token and token in tokens:
        first_used, redrive_date = tokens[token]
        if now - first_used <= TOKEN_LIFETIME:
            return redrive_date
    return None


def _keep_token(execution: Any, token: str | None, now: datetime.datetime) -> None:
    if not token:
        return
    tokens = dict(getattr(execution, "redrive_tokens", {}))
    tokens[token] = (now, now)
    execution.redrive_tokens = dict(list(tokens.items())[-TOKENS_KEPT:])


def redrive_execution(self: StepFunctionResponse) -> ActionResult:
    arn = param(self, "executionArn")
    execution = self.stepfunction_backend.describe_execution(arn)  # InvalidArn, ExecutionDoesNotExist
    token = param(self, "clientToken")
    now = datetime.datetime.now(tz=datetime.timezone.utc)
    answered = _earlier_answer(execution, token, now)
    if answered is not None:
        return ActionResult({"redriveDate": answered})
    redrivable, reason = redrive_rules.redrive_status(execution)
    if not redrivable:
        raise ExecutionNotRedrivable(reason or "Execution cannot be redriven")
    earlier = execution.exec_worker
    definition = json.loads(earlier._evaluation_details.state_machine_details.definition)
    start_at, start_input = restart_point(definition, earlier.env.event_manager.get_event_history())
    count = redrive_rules.redrive_count(execution) + 1
    execution.redrive_count = count
    execution.redrive_date = now
    execution.exec_status = ExecutionStatus.RUNNING
    execution.stop_date = None
    execution.error = None
    execution.cause = None
    execution.output = None
    execution.exec_worker = RedriveWorker(earlier, start_at, start_input, count)
    _keep_token(execution, token, now)
    execution_status_events.announce(execution)
    execution.exec_worker.start()
    return ActionResult({"redriveDate": now})


def install() -> None:
    register(redrive_execution)
