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
    answer_before_heartbeat_clock,
    assign_literals,
    assign_timing,
    aws_sdk_errors,
    aws_sdk_member_names,
    aws_sdk_service_names,
    asl_extensions,
    definition_validation,
    distributed_map_runtime,
    dynamodb_atomic_writes,
    dynamodb_errors,
    dynamodb_update_expressions,
    error_matching,
    evaluation_errors,
    execution_history,
    execution_start,
    execution_status_events,
    execution_views,
    field_path,
    heartbeat_timeout,
    http_task,
    jsonata_states,
    mocked_executions,
    nested_executions,
    parameters_path,
    parser_scope,
    redrive_branches,
    redrive_count,
    redrive_execution,
    s3_sdk_results,
    sdk_http_metadata,
    service_errors,
    sqs_errors,
    sync_execution,
    sync_host,
    sync_without_callback,
    task_failure_cause,
    task_token_per_attempt,
    teststate,
    teststate_composites,
    time_scale,
    versions,
)

# Each module, in install order, and the moto symbols it replaces (moto 5.2.5): one place to read
# what an upgrade of moto may break. ``{a,b}`` names several attributes of one owner. ADDS are
# operations and names moto lacks; EXTENDS are moto's own lists added to in place.
# tests/test_engine_internals.py checks each: replaced symbols exist before install() and are
# other objects after it, added ones appear, extended ones exist.
REPLACES: dict[str, tuple[str, ...]] = {
    "service_errors": (
        "moto.stepfunctions.parser.api.InvalidToken.__init__",
    ),
    "task_failure_cause": (
        "moto.stepfunctions.responses.StepFunctionResponse.send_task_failure",
    ),
    "dynamodb_update_expressions": (
        "moto.dynamodb.models.DynamoDBBackend.update_item",
        "moto.dynamodb.parsing.expressions.UpdateExpressionParser.make",
    ),
    "dynamodb_atomic_writes": (
        "moto.dynamodb.models.DynamoDBBackend.{delete_item,put_item,transact_write_items,update_item}",
        "moto.dynamodb.responses.DynamoHandler.{batch_get_item,get_item,query,scan,transact_get_items}",
    ),
    "heartbeat_timeout": (
        "moto.stepfunctions.parser.asl.component.state.exec.state_task.state_task.StateTask._from_error",
        "moto.stepfunctions.parser.asl.component.state.exec.state_task.state_task_activitiy.StateTaskActivity._from_error",
    ),
    "answer_before_heartbeat_clock": (
        "moto.stepfunctions.parser.asl.eval.callback.callback.CallbackEndpoint.setup_heartbeat_endpoint",
    ),
    "task_token_per_attempt": (
        "moto.stepfunctions.parser.asl.component.state.exec.state_task.service.state_task_service_callback.StateTaskServiceCallback.{_eval_body,_evaluate_with_timeout}",
        "moto.stepfunctions.parser.models.StepFunctionsParserBackend.{send_task_failure,send_task_heartbeat,send_task_success}",
    ),
    "teststate_composites": (
        "moto.stepfunctions.parser.asl.component.state.exec.state_map.state_map.StateMap._eval_execution",
        "moto.stepfunctions.parser.asl.component.state.exec.state_parallel.state_parallel.StateParallel._eval_execution",
    ),
    "time_scale": (
        "moto.stepfunctions.parser.asl.component.common.retry.retrier_decl.time",
        "moto.stepfunctions.parser.asl.component.program.program.threading",
        "moto.stepfunctions.parser.asl.component.state.exec.execute_state.threading",
        "moto.stepfunctions.parser.asl.component.state.wait.wait_function.wait_function.WaitFunction._wait_interval",
        "moto.stepfunctions.parser.asl.eval.callback.callback.Event",
    ),
    "field_path": (
        "moto.stepfunctions.parser.asl.component.common.assign.assign_decl.AssignDecl.eval",
        "moto.stepfunctions.parser.asl.component.common.assign.assign_template_binding.AssignTemplateBinding.eval",
        "moto.stepfunctions.parser.asl.component.common.jsonata.jsonata_template_binding.JSONataTemplateBinding.eval",
        "moto.stepfunctions.parser.asl.component.common.outputdecl.Output.eval",
        "moto.stepfunctions.parser.asl.component.common.parargs.Arguments.eval",
        "moto.stepfunctions.parser.asl.component.state.choice.comparison.comparison.ConditionStringJSONata.eval",
        "moto.stepfunctions.parser.asl.component.state.exec.state_map.items.items.Items.eval",
    ),
    "jsonata_states": (
        "moto.stepfunctions.parser.asl.component.common.string.string_expression.StringJSONata._eval_body",
        "moto.stepfunctions.parser.asl.component.common.string.string_expression.StringVariableSample._eval_body",
    ),
    "parser_scope": (
        "moto.stepfunctions.parser.asl.parse.preprocessor.Preprocessor.__init__",
    ),
    "assign_literals": (
        "moto.stepfunctions.parser.asl.parse.preprocessor.Preprocessor.visitAssign_template_value_terminal_string_literal",
    ),
    "assign_timing": (
        "moto.stepfunctions.parser.asl.component.common.assign.assign_decl.AssignDecl._eval_body",
        "moto.stepfunctions.parser.asl.component.state.choice.state_choice.StateChoice._eval_state_output",
        "moto.stepfunctions.parser.asl.component.state.exec.execute_state.ExecutionState._eval_state_output",
        "moto.stepfunctions.parser.asl.component.state.state.CommonStateField._eval_state_output",
    ),
    "parameters_path": (
        "moto.stepfunctions.parser.asl.component.common.payload.payloadvalue.payloadbinding.payload_binding.PayloadBindingStringExpressionSimple._eval_val",
        "moto.stepfunctions.parser.asl.component.state.exec.state_task.service.state_task_service_api_gateway.StateTaskServiceApiGateway._from_error",
        "moto.stepfunctions.parser.asl.component.state.exec.state_task.service.state_task_service_aws_sdk.StateTaskServiceAwsSdk._from_error",
        "moto.stepfunctions.parser.asl.component.state.exec.state_task.service.state_task_service_batch.StateTaskServiceBatch._from_error",
        "moto.stepfunctions.parser.asl.component.state.exec.state_task.service.state_task_service_callback.StateTaskServiceCallback._from_error",
        "moto.stepfunctions.parser.asl.component.state.exec.state_task.service.state_task_service_dynamodb.StateTaskServiceDynamoDB._from_error",
        "moto.stepfunctions.parser.asl.component.state.exec.state_task.service.state_task_service_events.StateTaskServiceEvents._from_error",
        "moto.stepfunctions.parser.asl.component.state.exec.state_task.service.state_task_service_glue.StateTaskServiceGlue._from_error",
        "moto.stepfunctions.parser.asl.component.state.exec.state_task.service.state_task_service_lambda.StateTaskServiceLambda._from_error",
        "moto.stepfunctions.parser.asl.component.state.exec.state_task.service.state_task_service_sfn.StateTaskServiceSfn._from_error",
        "moto.stepfunctions.parser.asl.component.state.exec.state_task.service.state_task_service_sns.StateTaskServiceSns._from_error",
        "moto.stepfunctions.parser.asl.component.state.exec.state_task.service.state_task_service_sqs.StateTaskServiceSqs._from_error",
        "moto.stepfunctions.parser.asl.component.state.exec.state_task.state_task.StateTask._from_error",
        "moto.stepfunctions.parser.asl.component.state.exec.state_task.state_task_activitiy.StateTaskActivity._from_error",
        "moto.stepfunctions.parser.asl.component.state.exec.state_task.state_task_lambda.StateTaskLambda._from_error",
    ),
    "evaluation_errors": (
        "moto.stepfunctions.parser.asl.component.state.wait.wait_function.timestamp.Timestamp._create_failure_event",
    ),
    "asl_extensions": (
        "moto.stepfunctions.parser.asl.parse.asl_parser.AmazonStateLanguageParser.parse",
        "moto.stepfunctions.parser.asl.parse.preprocessor.Preprocessor.visitState_decl",
        "moto.stepfunctions.parser.asl.parse.preprocessor.Preprocessor.visitError_name",
    ),
    "http_task": (
        "moto.stepfunctions.parser.asl.component.state.exec.state_task.state_task_factory.state_task_service_for",
    ),
    "distributed_map_runtime": (
        "moto.stepfunctions.parser.asl.component.state.exec.state_map.item_reader.item_reader_decl.ItemReader._eval_body",
        "moto.stepfunctions.parser.asl.component.state.exec.state_map.iteration.distributed_iteration_component.DistributedIterationComponent._map_run",
        "moto.stepfunctions.parser.asl.component.state.exec.state_map.iteration.itemprocessor.distributed_item_processor_worker.DistributedItemProcessorWorker._eval_job",
        "moto.stepfunctions.parser.asl.component.state.exec.state_map.result_writer.resource_eval.resource_eval_s3.ResourceEvalS3._handle_put_object",
    ),
    "definition_validation": (
        "moto.stepfunctions.responses.StepFunctionResponse.{create_state_machine,update_state_machine}",
        "moto.stepfunctions.parser.models.StepFunctionsParserBackend._validate_definition",
    ),
    "redrive_branches": (
        "moto.stepfunctions.parser.asl.component.state.exec.state_map.iteration.inline_iteration_component.InlineIterationComponent._eval_body",
        "moto.stepfunctions.parser.asl.component.state.exec.state_map.iteration.iteration_worker.IterationWorker._eval_job",
        "moto.stepfunctions.parser.asl.component.state.exec.state_parallel.branches_decl.BranchesDecl._eval_body",
        "moto.stepfunctions.parser.asl.component.state.state.CommonStateField._get_state_entered_event_details",
        "moto.stepfunctions.parser.asl.eval.environment.Environment.as_inner_frame_of",
    ),
    "redrive_count": (
        "moto.stepfunctions.parser.backend.execution_worker.ExecutionWorker._get_evaluation_environment",
    ),
    "sdk_http_metadata": (
        "moto.stepfunctions.parser.asl.component.state.exec.state_task.service.state_task_service_dynamodb.StateTaskServiceDynamoDB._eval_service_task",
        "moto.stepfunctions.parser.asl.component.state.exec.state_task.service.state_task_service_sqs.StateTaskServiceSqs._eval_service_task",
    ),
    "execution_start": (
        "moto.stepfunctions.parser.models.StepFunctionsParserBackend.start_execution",
    ),
    "execution_history": (
        "moto.stepfunctions.responses.StepFunctionResponse.get_execution_history",
    ),
    "execution_status_events": (
        "moto.stepfunctions.parser.backend.execution.BaseExecutionWorkerCommunication.terminated",
        "moto.stepfunctions.parser.backend.execution.Execution.start",
    ),
    "execution_views": (
        "moto.stepfunctions.responses.StepFunctionResponse.{describe_execution,describe_state_machine_for_execution,list_executions}",
    ),
    "versions": (
        "moto.stepfunctions.models.StepFunctionBackend.create_state_machine_alias",
    ),
    "activity_tasks": (
        "moto.stepfunctions.models.StepFunctionBackend.{create_activity,delete_activity}",
        "moto.stepfunctions.parser.backend.execution.Execution.__init__",
    ),
    "mocked_executions": (
        "moto.stepfunctions.parser.asl.eval.environment.Environment.get_current_mocked_response",
        "moto.stepfunctions.parser.backend.execution.Execution._get_start_execution_worker",
        "moto.stepfunctions.parser.models.StepFunctionsParserBackend.start_execution",
    ),
    "error_matching": (
        "moto.stepfunctions.parser.asl.component.common.error_name.error_equals_decl.ErrorEqualsDecl._eval_body",
        "moto.stepfunctions.parser.asl.component.state.exec.state_task.mock_eval_utils.CustomErrorName",
        "moto.stepfunctions.parser.asl.component.state.exec.state_task.service.state_task_service_callback.CustomErrorName",
        "moto.stepfunctions.parser.asl.component.state.fail.state_fail.CustomErrorName",
    ),
    "s3_sdk_results": (
        "moto.stepfunctions.parser.asl.component.state.exec.state_task.service.state_task_service_aws_sdk.StateTaskServiceAwsSdk._eval_service_task",
    ),
    "sqs_errors": (
        "moto.sqs.responses.SQSResponse.send_message",
        "moto.stepfunctions.parser.asl.component.state.exec.state_task.service.state_task_service_sqs.StateTaskServiceSqs._from_error",
    ),
    "dynamodb_errors": (
        "moto.dynamodb.responses.DynamoHandler.{batch_execute_statement,batch_get_item,batch_write_item,create_backup,create_table,delete_backup,delete_item,delete_resource_policy,delete_table,describe_backup,describe_continuous_backups,describe_endpoints,describe_export,describe_import,describe_limits,describe_table,describe_time_to_live,execute_statement,execute_transaction,export_table_to_point_in_time,get_item,get_resource_policy,import_table,list_backups,list_exports,list_tables,list_tags_of_resource,put_item,put_resource_policy,query,restore_table_from_backup,restore_table_to_point_in_time,scan,tag_resource,transact_get_items,transact_write_items,untag_resource,update_continuous_backups,update_item,update_table,update_time_to_live}",
        "moto.stepfunctions.parser.asl.component.state.exec.state_task.service.state_task_service_dynamodb.StateTaskServiceDynamoDB.{_error_cause_from_client_error,_eval_service_task}",
    ),
    "aws_sdk_service_names": (
        "moto.stepfunctions.parser.asl.component.state.exec.state_task.service.state_task_service_aws_sdk.StateTaskServiceAwsSdk._get_boto_service_name",
    ),
    "aws_sdk_errors": (
        "moto.secretsmanager.models.SecretsManagerBackend.create_secret",
        "moto.stepfunctions.parser.asl.component.state.exec.state_task.service.state_task_service_aws_sdk.StateTaskServiceAwsSdk._normalise_service_error_name",
    ),
    "aws_sdk_member_names": (
        "moto.stepfunctions.parser.asl.component.state.exec.state_task.service.state_task_service_aws_sdk.StateTaskServiceAwsSdk.{_eval_service_task,_normalise_parameters}",
    ),
    "sync_without_callback": (
        "moto.stepfunctions.parser.asl.component.state.exec.state_task.service.state_task_service_callback.StateTaskServiceCallback._eval_integration_pattern",
    ),
    "nested_executions": (
        "moto.stepfunctions.parser.asl.component.state.exec.state_task.service.state_task_service_sfn.StateTaskServiceSfn.{_eval_service_task,_normalise_parameters,_normalise_response}",
    ),
    "sdk_client_reuse": (
        "moto.stepfunctions.parser.asl.utils.boto_client.boto_client_for",
        "moto.stepfunctions.parser.asl.component.state.exec.state_task.service.state_task_service_sqs.boto_client_for",
    ),
    "parsed_definitions": (
        "moto.stepfunctions.parser.backend.execution_worker.ExecutionWorker._get_evaluation_entrypoint",
    ),
    "sqs_retention_check": (
        "moto.sqs.models.SQSBackend.is_message_valid_based_on_retention_period",
    ),
    "sqs_attribute_reads": (
        "moto.sqs.models.Queue.attributes",
        "moto.sqs.models.{unix_time,unix_time_millis}",
    ),
    "task_token_index": (
        "moto.stepfunctions.parser.backend.execution_worker.ExecutionWorker._get_evaluation_environment",
        "moto.stepfunctions.parser.models.StepFunctionsParserBackend.{delete_state_machine,start_execution}",
    ),
    "jsonpath_parse_cache": (
        "moto.stepfunctions.parser.asl.utils.json_path.parse",
        "moto.stepfunctions.parser.asl.component.common.path.result_path.parse",
    ),
    "backend_lookup": (
        "moto.backends.list_of_moto_modules",
    ),
    "action_names": (
        "moto.core.responses.method_names_from_class",
    ),
    "model_loader": (
        "moto.core.utils.create_loader",
    ),
}

ADDS: dict[str, tuple[str, ...]] = {
    "evaluation_errors": (
        "moto.stepfunctions.parser.asl.component.state.exec.state_map.state_map.type",
    ),
    "definition_validation": (
        "moto.stepfunctions.responses.StepFunctionResponse.validate_state_machine_definition",
    ),
    "versions": (
        "moto.stepfunctions.responses.StepFunctionResponse.{delete_state_machine_version,list_state_machine_versions,publish_state_machine_version}",
    ),
    "activity_tasks": (
        "moto.stepfunctions.responses.StepFunctionResponse.get_activity_task",
    ),
    "sync_execution": (
        "moto.stepfunctions.responses.StepFunctionResponse.start_sync_execution",
    ),
    "teststate": (
        "moto.stepfunctions.responses.StepFunctionResponse.test_state",
    ),
    "redrive_execution": (
        "moto.stepfunctions.responses.StepFunctionResponse.redrive_execution",
    ),
}

EXTENDS: dict[str, tuple[str, ...]] = {
    "sync_host": (
        "moto.backend_index.backend_url_patterns",
    ),
}


def expand(symbol: str) -> list[str]:
    """``a.B.{c,d}`` -> ``a.B.c``, ``a.B.d``."""
    owner, brace, names = symbol.partition(".{")
    if not brace:
        return [symbol]
    return [f"{owner}.{name}" for name in names.rstrip("}").split(",")]


_installed = False


def install() -> None:
    global _installed
    if _installed:
        return
    service_errors.install()
    task_failure_cause.install()
    # Before dynamodb_atomic_writes: its lock wraps this module's update_item.
    dynamodb_update_expressions.install()
    dynamodb_atomic_writes.install()
    heartbeat_timeout.install()
    task_token_per_attempt.install()
    answer_before_heartbeat_clock.install()
    time_scale.install()
    field_path.install()
    jsonata_states.install()
    parser_scope.install()
    assign_literals.install()
    assign_timing.install()
    parameters_path.install()
    evaluation_errors.install()
    asl_extensions.install()
    http_task.install()
    distributed_map_runtime.install()
    definition_validation.install()
    redrive_count.install()
    sdk_http_metadata.install()
    # Before mocked_executions: its wrapper, outside this one, splits off ``ARN#Case`` first.
    execution_start.install()
    execution_views.install()
    execution_history.install()
    execution_status_events.install()
    versions.install()
    activity_tasks.install()
    sync_execution.install()
    sync_host.install()
    teststate.install()
    teststate_composites.install()
    redrive_execution.install()
    redrive_branches.install()
    mocked_executions.install()
    error_matching.install()
    s3_sdk_results.install()
    sqs_errors.install()
    dynamodb_errors.install()
    aws_sdk_service_names.install()
    aws_sdk_errors.install()
    # After s3_sdk_results: its aws-sdk wrapper stays inside this one.
    aws_sdk_member_names.install()
    sync_without_callback.install()
    nested_executions.install()
    # Speed: what moto redoes per task, execution or message, done once (same answers).
    from harness.engine import (
        action_names,
        backend_lookup,
        jsonpath_parse_cache,
        model_loader,
        parsed_definitions,
        sdk_client_reuse,
        sqs_attribute_reads,
        sqs_retention_check,
        task_token_index,
    )

    sdk_client_reuse.install()
    parsed_definitions.install()
    sqs_retention_check.install()
    sqs_attribute_reads.install()
    jsonpath_parse_cache.install()
    backend_lookup.install()
    action_names.install()
    model_loader.install()
    # After redrive_count and mocked_executions: it wraps their versions of both.
    task_token_index.install()
    _installed = True
