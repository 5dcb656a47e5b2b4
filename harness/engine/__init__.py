"""Corrections and additions to the emulator's Step Functions engine, installed at start-up.

Each module fixes one behaviour where moto differs from what AWS documents (most in Step
Functions, one in DynamoDB's write atomicity); ``install()`` applies
them all, once, before the server takes its first request. Tests in ``tests/test_engine_*.py``
fail loudly if an upgrade of moto moves what a module patches.
"""

from __future__ import annotations

from harness.engine import (
    activity_tasks,
    definition_validation,
    dynamodb_atomic_writes,
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
    task_failure_cause,
    task_token_per_attempt,
    test_state,
    time_scale,
    versions,
)

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
    test_state.install()
    redrive_execution.install()
    mocked_executions.install()
    error_matching.install()
    s3_sdk_results.install()
    sqs_errors.install()
    _installed = True
