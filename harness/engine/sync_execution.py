"""StartSyncExecution: an Express state machine runs to its end within the call (API reference).

The response carries the execution's ``status`` (SUCCEEDED, FAILED or TIMED_OUT), its
``output`` or ``error``/``cause``, ``input``, dates and ``billingDetails`` (duration billed in
milliseconds, at least 100 ms as Express pricing documents; memory in 64-MB steps, at least
64 MB). Only an EXPRESS state machine (or a version or alias of one) runs synchronously: a
Standard one is ``StateMachineTypeNotSupported``. Like every Express execution, it is not
kept for DescribeExecution. moto's server had no StartSyncExecution (HTTP 500).
"""

from __future__ import annotations

import copy
import datetime
import json
import math
import uuid
from typing import Any

from moto.core.responses import ActionResult
from moto.stepfunctions.exceptions import InvalidExecutionInput
from moto.stepfunctions.parser.api import StateMachineTypeNotSupported
from moto.stepfunctions.parser.backend.execution import SyncExecution
from moto.stepfunctions.responses import StepFunctionResponse

from harness.engine import activity_tasks, execution_views
from harness.engine.actions import param, register
from harness.engine.execution_start import resolve_start_target

MIN_BILLED_MS = 100
MEMORY_STEP_MB = 64


def billing_details(duration: datetime.timedelta, input_data: str, output: str | None) -> dict[str, int]:
    """What AWS bills an Express execution: duration rounded up to the ms, memory in 64-MB steps."""
    billed_ms = max(MIN_BILLED_MS, math.ceil(duration.total_seconds() * 1000))
    payload_mb = (len(input_data.encode()) + len((output or "").encode())) / (1024 * 1024)
    billed_mb = MEMORY_STEP_MB * max(1, math.ceil(payload_mb / MEMORY_STEP_MB))
    return {"billedMemoryUsedInMB": billed_mb, "billedDurationInMilliseconds": billed_ms}


def start_sync_execution(self: StepFunctionResponse) -> ActionResult:
    backend = self.stepfunction_backend
    target = resolve_start_target(backend, param(self, "stateMachineArn"))
    if target.machine.type != "EXPRESS":
        raise StateMachineTypeNotSupported("This operation is not supported by standard state machines")
    name = param(self, "name")
    if name:
        backend._validate_name(name)
    else:
        name = str(uuid.uuid4())
    input_data = param(self, "input", "{}")
    try:
        json.loads(input_data)
    except ValueError as bad:
        raise InvalidExecutionInput(f"Invalid State Machine Execution Input: '{bad}'") from None
    ran = backend.describe_state_machine(target.run_arn)
    snapshot = copy.deepcopy(ran, {id(ran.executions): [], id(getattr(ran, "backend", None)): getattr(ran, "backend", None)})
    snapshot.sm_type = "EXPRESS"
    arn = f"arn:aws:states:{backend.region_name}:{backend.account_id}:express:{target.machine.name}:{name}:{uuid.uuid4()}"
    execution = SyncExecution(
        name=name, sm_type="EXPRESS", role_arn=snapshot.roleArn, exec_arn=arn,
        account_id=backend.account_id, region_name=backend.region_name, state_machine=snapshot,
        start_date=datetime.datetime.now(tz=datetime.timezone.utc), cloud_watch_logging_session=None,
        input_data=input_data, trace_header=param(self, "traceHeader"), activity_store=activity_tasks.queues,
    )
    execution.start()  # runs on this thread to the end
    stop = execution.stop_date or datetime.datetime.now(tz=datetime.timezone.utc)
    status = execution.sync_execution_status.value
    response: dict[str, Any] = {
        "executionArn": arn,
        "stateMachineArn": target.machine.arn,
        "name": name,
        "startDate": execution.start_date,
        "stopDate": stop,
        "status": status,
        "input": input_data,
        "inputDetails": {"included": True},
    }
    output = None
    if status == "SUCCEEDED":
        output = execution_views.output_text(execution)
        response["output"] = output
        response["outputDetails"] = {"included": True}
    if execution.error is not None:
        response["error"] = execution.error
    if execution.cause is not None:
        response["cause"] = execution.cause
    if execution.trace_header:
        response["traceHeader"] = execution.trace_header
    response["billingDetails"] = billing_details(stop - execution.start_date, input_data, output)
    return ActionResult(response)


def install() -> None:
    register(start_sync_execution)
