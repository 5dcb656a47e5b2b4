"""DescribeExecution, ListExecutions and DescribeStateMachineForExecution with AWS's fields and errors.

API reference:
* DescribeExecution returns ``redriveCount``, ``redriveStatus`` (``REDRIVABLE`` or
  ``NOT_REDRIVABLE``, with ``redriveStatusReason``) and, once redriven, ``redriveDate``; and
  ``stateMachineVersionArn``/``stateMachineAliasArn`` when a version or alias was started.
* ListExecutions takes ``stateMachineArn`` or ``mapRunArn`` (one of them: "You can specify
  either a mapRunArn or a stateMachineArn, but not both"), filters by ``statusFilter`` and
  ``redriveFilter`` (``REDRIVEN``/``NOT_REDRIVEN``), and lists ``redriveCount``/``redriveDate``.
  moto answered a call without ``stateMachineArn`` with HTTP 500.
* DescribeStateMachineForExecution describes the definition the execution ran (not the state
  machine as updated since), and an unknown execution is ``ExecutionDoesNotExist``.
"""

from __future__ import annotations

from typing import Any

from moto.core.responses import ActionResult
from moto.stepfunctions.exceptions import ExecutionDoesNotExist, ValidationException
from moto.stepfunctions.parser.api import ExecutionStatus
from moto.stepfunctions.parser.asl.utils.encoding import to_json_str
from moto.stepfunctions.responses import StepFunctionResponse

from harness.engine import redrive_rules
from harness.engine.actions import page, param, register

_ENDED = {ExecutionStatus.SUCCEEDED, ExecutionStatus.FAILED, ExecutionStatus.ABORTED, ExecutionStatus.TIMED_OUT}


def output_text(execution: Any) -> str:
    """A succeeded execution's output as JSON text, the same text its ExecutionSucceeded event holds.

    The output is kept as a value: a string output is JSON text too ('"done"', not 'done'). An
    AWS SDK task's answer may hold timestamps (S3's LastModified, DynamoDB's CreationDateTime):
    they are written as the history writes them, where plain JSON could not write them at all
    (DescribeExecution failed with an internal error)."""
    return to_json_str(execution.output, separators=(",", ":"))


def _status(execution: Any) -> ExecutionStatus:
    return ExecutionStatus(execution.status)


def _versioned_fields(execution: Any) -> dict[str, Any]:
    fields = {}
    if getattr(execution, "state_machine_version_arn", None):
        fields["stateMachineVersionArn"] = execution.state_machine_version_arn
    if getattr(execution, "state_machine_alias_arn", None):
        fields["stateMachineAliasArn"] = execution.state_machine_alias_arn
    return fields


def _redrive_fields(execution: Any) -> dict[str, Any]:
    fields: dict[str, Any] = {"redriveCount": redrive_rules.redrive_count(execution)}
    if redrive_rules.redrive_date(execution) is not None:
        fields["redriveDate"] = redrive_rules.redrive_date(execution)
    return fields


def describe_execution(self: StepFunctionResponse) -> ActionResult:
    arn = param(self, "executionArn")
    execution = self.stepfunction_backend.describe_execution(arn)
    status = _status(execution)
    response: dict[str, Any] = {
        "executionArn": arn,
        "input": execution.execution_input,
        "inputDetails": {"included": True},
        "name": execution.name,
        "startDate": execution.start_date,
        "stateMachineArn": execution.state_machine_arn,
        "status": status.value,
        **_versioned_fields(execution),
        **_redrive_fields(execution),
    }
    redrivable, reason = redrive_rules.redrive_status(execution)
    response["redriveStatus"] = "REDRIVABLE" if redrivable else "NOT_REDRIVABLE"
    if reason:
        response["redriveStatusReason"] = reason
    if status in _ENDED and execution.stop_date is not None:
        response["stopDate"] = execution.stop_date
    if status == ExecutionStatus.SUCCEEDED:
        response["output"] = output_text(execution)
        response["outputDetails"] = {"included": True}
    if execution.error is not None:
        response["error"] = execution.error
    if execution.cause is not None:
        response["cause"] = execution.cause
    return ActionResult(response)


def list_executions(self: StepFunctionResponse) -> ActionResult:
    machine_arn = param(self, "stateMachineArn")
    map_run_arn = param(self, "mapRunArn")
    if bool(machine_arn) == bool(map_run_arn):
        raise ValidationException("Must provide a StateMachine ARN or a MapRun ARN, but not both")
    if map_run_arn:
        # Only a Distributed Map's runs have child executions; moto runs each Map inline.
        self.stepfunction_backend.describe_map_run(map_run_arn)  # ResourceNotFound if unknown
        return ActionResult({"executions": []})
    machine = self.stepfunction_backend.describe_state_machine(machine_arn)
    status_filter = param(self, "statusFilter")
    redrive_filter = param(self, "redriveFilter")
    executions = sorted(machine.executions, key=lambda e: e.start_date, reverse=True)
    if status_filter:
        executions = [e for e in executions if e.status == status_filter]
    if redrive_filter:
        redriven = redrive_filter == "REDRIVEN"
        executions = [e for e in executions if (redrive_rules.redrive_count(e) > 0) == redriven]
    listed, next_token = page(executions, self._get_int_param("maxResults") or 100, param(self, "nextToken"))
    items = []
    for execution in listed:
        item = {
            "executionArn": execution.execution_arn,
            "name": execution.name,
            "startDate": execution.start_date,
            "stateMachineArn": machine.arn,
            "status": execution.status,
            **_versioned_fields(execution),
            **_redrive_fields(execution),
        }
        if _status(execution) in _ENDED and execution.stop_date is not None:
            item["stopDate"] = execution.stop_date
        items.append(item)
    response: dict[str, Any] = {"executions": items}
    if next_token:
        response["nextToken"] = next_token
    return ActionResult(response)


def describe_state_machine_for_execution(self: StepFunctionResponse) -> ActionResult:
    arn = param(self, "executionArn")
    backend = self.stepfunction_backend
    backend._validate_execution_arn(arn)
    for machine in backend.state_machines:
        for execution in machine.executions:
            if execution.execution_arn == arn:
                ran = execution.state_machine  # the definition as it was when the execution started
                response = {
                    "stateMachineArn": machine.arn,
                    "name": machine.name,
                    "definition": ran.definition,
                    "roleArn": ran.roleArn,
                    "updateDate": ran.update_date,
                    "loggingConfiguration": ran.loggingConfiguration,
                    "tracingConfiguration": ran.tracingConfiguration,
                    "encryptionConfiguration": ran.encryptionConfiguration,
                }
                return ActionResult(response)
    raise ExecutionDoesNotExist(f"Execution Does Not Exist: '{arn}'")


def install() -> None:
    register(describe_execution, list_executions, describe_state_machine_for_execution)
