"""Creates the declared resources with boto3, then deploys the state machine.

Idempotent: running it against a stack that already has the resources converges on the
declaration (a restarted compose stack, a second `up`). ``discover`` reads the same values from
a stack that another process provisioned, creating nothing. Both return the values that the
definition's placeholders and the apps' environment are filled from.
"""

from __future__ import annotations

import json
import logging
import math
import secrets
from dataclasses import dataclass, field
from typing import Any

from botocore.exceptions import ClientError

from harness.aws_clients import Clients
from harness.definition import render_definition
from harness.pipeline import Pipeline, QueueSpec, env_name
from harness.redaction import register_secret
from harness.settings import Settings

log = logging.getLogger(__name__)

QUEUE_SUFFIXES = ("Url", "Arn", "Name", "DeadLetterUrl", "DeadLetterArn")


@dataclass
class Provisioned:
    """What provisioning made: placeholder values, app environment, secret values."""

    placeholders: dict[str, str] = field(default_factory=dict)
    app_env: dict[str, str] = field(default_factory=dict)
    secret_values: dict[str, str] = field(default_factory=dict, repr=False)
    state_machine_arn: str = ""

    def record(self, logical_name: str, name: str, **values: str) -> None:
        """Note one resource: its placeholders, and its name for the apps."""
        self.placeholders[f"{logical_name}Name"] = name
        self.placeholders.update({f"{logical_name}{suffix}": value for suffix, value in values.items()})
        self.app_env[env_name(logical_name, "NAME")] = name


def physical_name(settings: Settings, name: str) -> str:
    return f"{settings.resource_prefix}-{name}"


def scaled_visibility_timeout(settings: Settings, declared: int) -> int:
    # SQS counts whole seconds; at least 1 so a crashed app's message does come back, but not
    # before the apps' lease keeper (which renews at half the timeout) has had a chance to run.
    return max(1, math.ceil(settings.scaled(declared)))


def _error_code(exc: ClientError) -> str:
    return str(exc.response.get("Error", {}).get("Code", ""))


def _queue_arn(clients: Clients, url: str) -> str:
    return clients.sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]


def _record_queue(clients: Clients, out: Provisioned, spec: QueueSpec, name: str, url: str, dlq_url: str) -> None:
    out.record(
        spec.logical_name,
        name,
        Url=url,
        Arn=_queue_arn(clients, url),
        DeadLetterUrl=dlq_url,
        DeadLetterArn=_queue_arn(clients, dlq_url),
    )


def provision_queues(clients: Clients, settings: Settings, pipeline: Pipeline, out: Provisioned) -> None:
    for spec in pipeline.queues:
        name = physical_name(settings, spec.name)
        dlq_url = clients.sqs.create_queue(
            QueueName=f"{name}-dlq", Attributes={"MessageRetentionPeriod": "1209600"}
        )["QueueUrl"]
        redrive = {"deadLetterTargetArn": _queue_arn(clients, dlq_url), "maxReceiveCount": str(spec.max_receive_count)}
        url = clients.sqs.create_queue(
            QueueName=name,
            Attributes={"VisibilityTimeout": str(scaled_visibility_timeout(settings, spec.visibility_timeout)), "RedrivePolicy": json.dumps(redrive)},
        )["QueueUrl"]
        _record_queue(clients, out, spec, name, url, dlq_url)


def provision_tables(clients: Clients, settings: Settings, pipeline: Pipeline, out: Provisioned) -> None:
    for spec in pipeline.tables:
        name = physical_name(settings, spec.name)
        try:
            clients.dynamodb.create_table(
                TableName=name,
                KeySchema=[{"AttributeName": spec.hash_key, "KeyType": "HASH"}],
                AttributeDefinitions=[{"AttributeName": spec.hash_key, "AttributeType": "S"}],
                BillingMode="PAY_PER_REQUEST",
            )
        except ClientError as exc:
            if _error_code(exc) != "ResourceInUseException":
                raise
        clients.dynamodb.get_waiter("table_exists").wait(TableName=name, WaiterConfig={"Delay": 1, "MaxAttempts": 60})
        out.record(spec.logical_name, name, Arn=clients.dynamodb.describe_table(TableName=name)["Table"]["TableArn"])


def provision_buckets(clients: Clients, settings: Settings, pipeline: Pipeline, out: Provisioned) -> None:
    for spec in pipeline.buckets:
        name = physical_name(settings, spec.name)
        kwargs: dict[str, Any] = {"Bucket": name}
        if settings.region != "us-east-1":
            kwargs["CreateBucketConfiguration"] = {"LocationConstraint": settings.region}
        try:
            clients.s3.create_bucket(**kwargs)
        except ClientError as exc:
            if _error_code(exc) != "BucketAlreadyOwnedByYou":
                raise
        out.record(spec.logical_name, name, Arn=f"arn:aws:s3:::{name}")


def secret_value(settings: Settings, setting: str, generate_if_missing: bool) -> str:
    value = settings.get(setting)
    if value:
        return value
    if generate_if_missing:
        # No key configured: the local stand-in accepts this one, made fresh for each run.
        return f"local-{secrets.token_hex(16)}"
    raise ValueError(f"{setting} is not set: put it in .env or the environment")


def provision_secrets(clients: Clients, settings: Settings, pipeline: Pipeline, out: Provisioned) -> None:
    for spec in pipeline.secrets:
        name = physical_name(settings, spec.name)
        value = secret_value(settings, spec.value_from, spec.generate_if_missing)
        register_secret(value)
        try:
            arn = clients.secretsmanager.create_secret(Name=name, SecretString=value)["ARN"]
        except ClientError as exc:
            if _error_code(exc) != "ResourceExistsException":
                raise
            arn = clients.secretsmanager.put_secret_value(SecretId=name, SecretString=value)["ARN"]
        out.secret_values[spec.logical_name] = value
        out.record(spec.logical_name, name, Arn=arn)


def _state_machine_arn(clients: Clients, name: str) -> str | None:
    for page in clients.stepfunctions.get_paginator("list_state_machines").paginate():
        for machine in page["stateMachines"]:
            if machine["name"] == name:
                return str(machine["stateMachineArn"])
    return None


def deploy_state_machine(clients: Clients, settings: Settings, pipeline: Pipeline, out: Provisioned) -> None:
    spec = pipeline.state_machine
    definition = json.dumps(render_definition(spec.definition, out.placeholders))
    name = physical_name(settings, spec.name)
    out.app_env["STATE_MACHINE_NAME"] = name
    sfn = clients.stepfunctions
    arn = _state_machine_arn(clients, name)
    if arn:
        sfn.update_state_machine(stateMachineArn=arn, definition=definition, roleArn=spec.role_arn)
    else:
        arn = sfn.create_state_machine(name=name, definition=definition, roleArn=spec.role_arn)["stateMachineArn"]
    out.state_machine_arn = arn
    log.info("deployed state machine %s", arn)


def provision(clients: Clients, settings: Settings, pipeline: Pipeline) -> Provisioned:
    out = Provisioned()
    provision_queues(clients, settings, pipeline, out)
    provision_tables(clients, settings, pipeline, out)
    provision_buckets(clients, settings, pipeline, out)
    provision_secrets(clients, settings, pipeline, out)
    deploy_state_machine(clients, settings, pipeline, out)
    return out


def discover(clients: Clients, settings: Settings, pipeline: Pipeline) -> Provisioned:
    """Read what another process provisioned (the compose stack's one-shot job): create nothing."""
    out = Provisioned()
    for spec in pipeline.queues:
        name = physical_name(settings, spec.name)
        url = clients.sqs.get_queue_url(QueueName=name)["QueueUrl"]
        _record_queue(clients, out, spec, name, url, clients.sqs.get_queue_url(QueueName=f"{name}-dlq")["QueueUrl"])
    for table in pipeline.tables:
        name = physical_name(settings, table.name)
        out.record(table.logical_name, name, Arn=clients.dynamodb.describe_table(TableName=name)["Table"]["TableArn"])
    for bucket in pipeline.buckets:
        name = physical_name(settings, bucket.name)
        clients.s3.head_bucket(Bucket=name)
        out.record(bucket.logical_name, name, Arn=f"arn:aws:s3:::{name}")
    for secret in pipeline.secrets:
        name = physical_name(settings, secret.name)
        stored = clients.secretsmanager.get_secret_value(SecretId=name)
        register_secret(stored["SecretString"])
        out.secret_values[secret.logical_name] = stored["SecretString"]
        out.record(secret.logical_name, name, Arn=stored["ARN"])
    name = physical_name(settings, pipeline.state_machine.name)
    out.app_env["STATE_MACHINE_NAME"] = name
    arn = _state_machine_arn(clients, name)
    if arn is None:
        raise LookupError(f"no state machine named {name!r}: has the stack been provisioned?")
    out.state_machine_arn = arn
    return out


def placeholder_names(pipeline: Pipeline) -> set[str]:
    """Every placeholder provisioning will fill, known before anything is made."""
    names: set[str] = set()
    for spec in pipeline.queues:
        names |= {f"{spec.logical_name}{suffix}" for suffix in QUEUE_SUFFIXES}
    for group in (pipeline.tables, pipeline.buckets, pipeline.secrets):
        for spec in group:
            names |= {f"{spec.logical_name}Name", f"{spec.logical_name}Arn"}
    return names


def preflight(pipeline: Pipeline) -> None:
    """Check the definition against the declaration before a process starts or a resource is made."""
    render_definition(
        pipeline.state_machine.definition,
        {name: f"placeholder-{name}" for name in placeholder_names(pipeline)},
    )
