"""Corrections and additions to the emulator's Step Functions engine, installed at start-up.

Each module fixes one behaviour where moto differs from what AWS documents (most in Step
Functions, others in DynamoDB's, SQS's and Secrets Manager's answers); ``install()`` applies
them all, once, before the server takes its first request. ``REPLACES`` below says, for each
module, which moto symbols it replaces; ``tests/test_engine_internals.py`` fails loudly if an
upgrade of moto moves one, or if install() leaves one in place.
"""

from __future__ import annotations

from harness.engine import (
    activity_tasks,
    assign_literals,
    assign_timing,
    aws_sdk_errors,
    definition_validation,
    dynamodb_atomic_writes,
    dynamodb_errors,
    error_matching,
    evaluation_errors,
    execution_start,
    execution_views,
    field_path,
    heartbeat_timeout,
    jsonata_states,
    mocked_executions,
    parameters_path,
    parser_scope,
    redrive_count,
    redrive_execution,
    s3_sdk_results,
    sdk_http_metadata,
    service_errors,
    sqs_errors,
    sync_execution,
    sync_host,
    task_failure_cause,
    task_token_per_attempt,
    teststate,
    time_scale,
    versions,
)

# Each module, in install order, and the moto symbols it replaces (moto 5.2.5). One place to read
# what an upgrade of moto may break: tests/test_engine_internals.py checks that each symbol
# exists before install() and is another object after it.
REPLACES: dict[str, tuple[str, ...]] = {
    "task_failure_cause": (
        "moto.stepfunctions.responses.StepFunctionResponse.send_task_failure",
    ),
    "dynamodb_atomic_writes": (
        "moto.dynamodb.models.DynamoDBBackend.put_item",
        "moto.dynamodb.models.DynamoDBBackend.update_item",
        "moto.dynamodb.models.DynamoDBBackend.delete_item",
        "moto.dynamodb.models.DynamoDBBackend.transact_write_items",
    ),
    "heartbeat_timeout": (
        "moto.stepfunctions.parser.asl.component.state.exec.state_task.state_task.StateTask._from_error",
        "moto.stepfunctions.parser.asl.component.state.exec.state_task.state_task_activitiy.StateTaskActivity._from_error",
    ),
    "task_token_per_attempt": (
        "moto.stepfunctions.parser.asl.component.state.exec.state_task.service.state_task_service_callback.StateTaskServiceCallback._eval_body",
        "moto.stepfunctions.parser.asl.component.state.exec.state_task.service.state_task_service_callback.StateTaskServiceCallback._evaluate_with_timeout",
        "moto.stepfunctions.parser.models.StepFunctionsParserBackend.send_task_heartbeat",
        "moto.stepfunctions.parser.models.StepFunctionsParserBackend.send_task_success",
        "moto.stepfunctions.parser.models.StepFunctionsParserBackend.send_task_failure",
    ),
    "time_scale": (
        "moto.stepfunctions.parser.asl.component.state.wait.wait_function.wait_function.WaitFunction._wait_interval",
        "moto.stepfunctions.parser.asl.component.common.retry.retrier_decl.time",
        "moto.stepfunctions.parser.asl.component.state.exec.execute_state.threading",
        "moto.stepfunctions.parser.asl.eval.callback.callback.Event",
        "moto.stepfunctions.parser.asl.component.program.program.threading",
    ),
    "field_path": (
        "moto.stepfunctions.parser.asl.component.common.outputdecl.Output.eval",
        "moto.stepfunctions.parser.asl.component.common.parargs.Arguments.eval",
        "moto.stepfunctions.parser.asl.component.common.assign.assign_decl.AssignDecl.eval",
        "moto.stepfunctions.parser.asl.component.common.jsonata.jsonata_template_binding.JSONataTemplateBinding.eval",
        "moto.stepfunctions.parser.asl.component.common.assign.assign_template_binding.AssignTemplateBinding.eval",
        "moto.stepfunctions.parser.asl.component.state.exec.state_map.items.items.Items.eval",
        "moto.stepfunctions.parser.asl.component.state.choice.comparison.comparison.ConditionStringJSONata.eval",
    ),
    "jsonata_states": (
        "moto.stepfunctions.parser.asl.component.common.string.string_expression.StringJSONata._eval_body",
        "moto.stepfunctions.parser.asl.component.common.string.string_expression.StringVariableSample._eval_body",
    ),
    "parser_scope": (
        "moto.stepfunctions.parser.asl.parse.preprocessor.Preprocessor.__init__",
    ),
    "definition_validation": (
        "moto.stepfunctions.responses.StepFunctionResponse.create_state_machine",
        "moto.stepfunctions.responses.StepFunctionResponse.update_state_machine",
    ),
    "redrive_count": (
        "moto.stepfunctions.parser.backend.execution_worker.ExecutionWorker._get_evaluation_environment",
    ),
    "sdk_http_metadata": (
        "moto.stepfunctions.parser.asl.component.state.exec.state_task.service.state_task_service_sqs.StateTaskServiceSqs._eval_service_task",
        "moto.stepfunctions.parser.asl.component.state.exec.state_task.service.state_task_service_dynamodb.StateTaskServiceDynamoDB._eval_service_task",
    ),
    "mocked_executions": (
        "moto.stepfunctions.parser.models.StepFunctionsParserBackend.start_execution",
        "moto.stepfunctions.parser.backend.execution.Execution._get_start_execution_worker",
        "moto.stepfunctions.parser.asl.eval.environment.Environment.get_current_mocked_response",
    ),
    "error_matching": (
        "moto.stepfunctions.parser.asl.component.common.error_name.error_equals_decl.ErrorEqualsDecl._eval_body",
        "moto.stepfunctions.parser.asl.component.state.fail.state_fail.CustomErrorName",
        "moto.stepfunctions.parser.asl.component.state.exec.state_task.service.state_task_service_callback.CustomErrorName",
        "moto.stepfunctions.parser.asl.component.state.exec.state_task.mock_eval_utils.CustomErrorName",
    ),
    "s3_sdk_results": (
        "moto.stepfunctions.parser.asl.component.state.exec.state_task.service.state_task_service_aws_sdk.StateTaskServiceAwsSdk._eval_service_task",
    ),
    "service_errors": (
        "moto.stepfunctions.parser.api.MissingRequiredParameter.__init__",
        "moto.stepfunctions.parser.api.ResourceNotFound.__init__",
        "moto.stepfunctions.parser.api.ValidationException.__init__",
    ),
    "parameters_path": (
        "moto.stepfunctions.parser.asl.component.common.payload.payloadvalue.payloadbinding.payload_binding.PayloadBindingStringExpressionSimple._eval_val",
        "moto.stepfunctions.parser.asl.component.state.exec.state_task.service.state_task_service_dynamodb.StateTaskServiceDynamoDB._from_error",
    ),
    "evaluation_errors": (
        "moto.stepfunctions.parser.asl.component.state.wait.wait_function.timestamp.Timestamp._create_failure_event",
    ),
    "execution_start": (
        "moto.stepfunctions.parser.models.StepFunctionsParserBackend.start_execution",
    ),
    "execution_views": (
        "moto.stepfunctions.responses.StepFunctionResponse.describe_execution",
        "moto.stepfunctions.responses.StepFunctionResponse.list_executions",
        "moto.stepfunctions.responses.StepFunctionResponse.describe_state_machine_for_execution",
    ),
    "versions": (
        "moto.stepfunctions.models.StepFunctionBackend.create_state_machine_alias",
    ),
    "activity_tasks": (
        "moto.stepfunctions.models.StepFunctionBackend.create_activity",
        "moto.stepfunctions.models.StepFunctionBackend.delete_activity",
        "moto.stepfunctions.parser.backend.execution.Execution.__init__",
    ),
    # These three add actions moto's server lacks (harness/engine/actions.py); they replace nothing.
    "sync_execution": (),
    "teststate": (),
    "redrive_execution": (),
    # Adds a host name to moto.backend_index.backend_url_patterns (the list itself, in place).
    "sync_host": (),
    "dynamodb_errors": (
        "moto.dynamodb.responses.DynamoHandler.put_item",
        "moto.dynamodb.responses.DynamoHandler.get_item",
        "moto.dynamodb.responses.DynamoHandler.update_item",
        "moto.dynamodb.responses.DynamoHandler.delete_item",
        "moto.stepfunctions.parser.asl.component.state.exec.state_task.service.state_task_service_dynamodb.StateTaskServiceDynamoDB._error_cause_from_client_error",
    ),
    "aws_sdk_errors": (
        "moto.stepfunctions.parser.asl.component.state.exec.state_task.service.state_task_service_aws_sdk.StateTaskServiceAwsSdk._normalise_service_error_name",
        "moto.secretsmanager.models.SecretsManagerBackend.create_secret",
    ),
    "assign_literals": (
        "moto.stepfunctions.parser.asl.parse.preprocessor.Preprocessor.visitAssign_template_value_terminal_string_literal",
    ),
    "assign_timing": (
        "moto.stepfunctions.parser.asl.component.common.assign.assign_decl.AssignDecl._eval_body",
        "moto.stepfunctions.parser.asl.component.state.state.CommonStateField._eval_state_output",
        "moto.stepfunctions.parser.asl.component.state.exec.execute_state.ExecutionState._eval_state_output",
        "moto.stepfunctions.parser.asl.component.state.choice.state_choice.StateChoice._eval_state_output",
    ),
    "sqs_errors": (
        "moto.sqs.responses.SQSResponse.send_message",
        "moto.stepfunctions.parser.asl.component.state.exec.state_task.service.state_task_service_sqs.StateTaskServiceSqs._from_error",
    ),
}

_installed = False


def install() -> None:
    global _installed
    if _installed:
        return
    service_errors.install()
    task_failure_cause.install()
    dynamodb_atomic_writes.install()
    heartbeat_timeout.install()
    task_token_per_attempt.install()
    time_scale.install()
    field_path.install()
    jsonata_states.install()
    parser_scope.install()
    assign_literals.install()
    assign_timing.install()
    parameters_path.install()
    evaluation_errors.install()
    definition_validation.install()
    redrive_count.install()
    sdk_http_metadata.install()
    # Before mocked_executions: its wrapper, outside this one, splits off ``ARN#Case`` first.
    execution_start.install()
    execution_views.install()
    versions.install()
    activity_tasks.install()
    sync_execution.install()
    sync_host.install()
    teststate.install()
    redrive_execution.install()
    mocked_executions.install()
    error_matching.install()
    s3_sdk_results.install()
    sqs_errors.install()
    dynamodb_errors.install()
    aws_sdk_errors.install()
    _installed = True
