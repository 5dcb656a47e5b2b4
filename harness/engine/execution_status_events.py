"""EventBridge's "Step Functions Execution Status Change" events for Standard executions.

AWS ("EventBridge for Step Functions execution status changes"): a Standard execution sends an
event to the account's default event bus each time its status changes, with ``source``
``aws.states``, ``detail-type`` ``Step Functions Execution Status Change``, the execution's ARN in
``resources`` and its description in ``detail`` (``executionArn``, ``stateMachineArn``, ``name``,
``status``, ``startDate`` and ``stopDate`` in milliseconds, ``input``/``output`` with their
details, ``error``, ``cause``, and the redrive figures). Express executions, StartSyncExecution
and TestState send none. An event rule routes them to its targets (an SQS queue here), which is
how a team learns that an execution failed without polling DescribeExecution.

moto's Step Functions sends none, so nothing on a local stack could react to a run that failed
where no app was told (a missed heartbeat, a task timeout, a message that could not be sent).
Here an execution sends RUNNING when it starts and when it is redriven
(``redrive_execution.announce_redrive``), and SUCCEEDED, FAILED, TIMED_OUT or ABORTED when it
ends, into moto's own EventBridge, in the same process. Delivery is best effort, as on AWS: a
failure to send is logged and never changes the execution.
"""

from __future__ import annotations

import datetime
import functools
import json
import logging
from typing import Any

from moto.stepfunctions.parser.api import ExecutionStatus, InvalidName
from moto.stepfunctions.parser.backend.execution import (
    BaseExecutionWorkerCommunication,
    Execution,
    SyncExecution,
)
from moto.stepfunctions.parser.backend.test_state.execution import TestStateExecution

from harness.engine import execution_changes, execution_views, redrive_rules

log = logging.getLogger(__name__)

SOURCE = "aws.states"
DETAIL_TYPE = "Step Functions Execution Status Change"


def _millis(moment: datetime.datetime | None) -> int | None:
    return None if moment is None else int(moment.timestamp() * 1000)


def sends_events(execution: Any) -> bool:
    """Standard executions of a state machine do; Express, sync and TestState runs do not."""
    if isinstance(execution, (SyncExecution, TestStateExecution)):
        return False
    return str(getattr(execution, "sm_type", "STANDARD")) != "EXPRESS"


def detail(execution: Any) -> dict[str, Any]:
    """The event's ``detail``: the execution as DescribeExecution describes it."""
    redrivable, reason = redrive_rules.redrive_status(execution)
    status = execution.status
    out: dict[str, Any] = {
        "executionArn": execution.exec_arn,
        "stateMachineArn": execution.state_machine_arn,
        "name": execution.name,
        "status": status,
        "startDate": _millis(execution.start_date),
        "stopDate": _millis(execution.stop_date) if status != "RUNNING" else None,
        "input": execution.execution_input,
        "output": execution_views.output_text(execution) if status == "SUCCEEDED" else None,
        "inputDetails": {"included": True},
        "outputDetails": {"included": True} if status == "SUCCEEDED" else None,
        "error": execution.error,
        "cause": execution.cause,
        "redriveCount": redrive_rules.redrive_count(execution),
        "redriveDate": _millis(redrive_rules.redrive_date(execution)),
        "redriveStatus": "REDRIVABLE" if redrivable else "NOT_REDRIVABLE",
        "redriveStatusReason": reason,
    }
    return out


def announce(execution: Any) -> None:
    """Send the execution's current status to the default event bus of its account and Region."""
    if not sends_events(execution):
        return
    try:
        from moto.events.models import events_backends

        events_backends[execution.account_id][execution.region_name].put_events([{
            "Source": SOURCE,
            "DetailType": DETAIL_TYPE,
            "Resources": [execution.exec_arn],
            "Detail": json.dumps(detail(execution)),
        }])
    except Exception:  # noqa: BLE001 - best effort, as on AWS: the execution goes on regardless
        log.exception("execution %s: its %s status change event was not sent", execution.exec_arn, execution.status)


def start(self: Execution) -> None:
    """moto's Execution.start, with the RUNNING event sent before the run can end (and send its own),
    and the emulator's waits woken once it runs."""
    if self.exec_worker:
        raise InvalidName()
    try:
        self.exec_worker = self._get_start_execution_worker()
        self.exec_status = ExecutionStatus.RUNNING
        announce(self)
        self.exec_worker.start()
    finally:
        execution_changes.notify()


def install() -> None:
    terminated = BaseExecutionWorkerCommunication.terminated
    if getattr(terminated, "__status_events__", False):
        return

    @functools.wraps(terminated)
    def ended(self: BaseExecutionWorkerCommunication) -> None:
        try:
            terminated(self)
            announce(self.execution)
        finally:
            execution_changes.notify()

    ended.__status_events__ = True  # type: ignore[attr-defined]
    Execution.start = start  # type: ignore[method-assign]
    BaseExecutionWorkerCommunication.terminated = ended  # type: ignore[method-assign]
