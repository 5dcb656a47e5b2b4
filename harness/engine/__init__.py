"""Corrections and additions to the emulator's Step Functions engine, installed at start-up.

Each module fixes one behaviour where moto differs from what AWS documents (most in Step
Functions, one in DynamoDB's write atomicity); ``install()`` applies
them all, once, before the server takes its first request. Tests in ``tests/test_engine_*.py``
fail loudly if an upgrade of moto moves what a module patches.
"""

from __future__ import annotations

from harness.engine import (
    definition_validation,
    dynamodb_atomic_writes,
    error_matching,
    field_path,
    heartbeat_timeout,
    jsonata_states,
    mocked_executions,
    parser_scope,
    redrive_count,
    s3_sdk_results,
    sdk_http_metadata,
    task_failure_cause,
    task_token_per_attempt,
    time_scale,
)

_installed = False


def install() -> None:
    global _installed
    if _installed:
        return
    task_failure_cause.install()
    dynamodb_atomic_writes.install()
    heartbeat_timeout.install()
    task_token_per_attempt.install()
    time_scale.install()
    field_path.install()
    jsonata_states.install()
    parser_scope.install()
    definition_validation.install()
    redrive_count.install()
    sdk_http_metadata.install()
    mocked_executions.install()
    error_matching.install()
    s3_sdk_results.install()
    # Speed: what moto redoes per task, execution or message, done once (same answers).
    from harness.engine import (
        action_names,
        backend_lookup,
        jsonpath_parse_cache,
        parsed_definitions,
        sdk_client_reuse,
        sqs_retention_check,
    )

    sdk_client_reuse.install()
    parsed_definitions.install()
    sqs_retention_check.install()
    jsonpath_parse_cache.install()
    backend_lookup.install()
    action_names.install()
    _installed = True
