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
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from botocore.exceptions import ClientError

from harness.aws_clients import Clients
from harness.pipeline import Pipeline, QueueSpec, env_name
from harness.redaction import register_secret
from harness.settings import Settings
from harness.statemachine.definition import render_definition
from harness.statemachine.iam_policy import TRUST_POLICY, least_privilege_policy

log = logging.getLogger(__name__)

QUEUE_SUFFIXES = ("Url", "Arn", "Name", "DeadLetterUrl", "DeadLetterArn")
ROLE_POLICY_NAME = "least-privilege"


@dataclass(frozen=True)
class Created:
    """One resource a run created: its kind (``queue``, ``table`` ...) and what deletes it."""

    kind: str
    identifier: str  # queue URL, table name, bucket name, secret ARN, state machine ARN, role name


@dataclass
class Provisioned:
    """What provisioning made: placeholder values, app environment, secret values."""

    placeholders: dict[str, str] = field(default_factory=dict)
    app_env: dict[str, str] = field(default_factory=dict)
    secret_values: dict[str, str] = field(default_factory=dict, repr=False)
    state_machine_arn: str = ""
    # What this run created, in order, so teardown deletes exactly that and nothing it found.
    created: list[Created] = field(default_factory=list)
    # Where each creation is also written as it happens, one JSON line each, so even a run that
    # was killed outright leaves the list of what to delete (``python -m harness.stacks.aws_cleanup``).
    journal: Path | None = None

    def made(self, kind: str, identifier: str) -> None:
        """Note a resource this run created (not one that was already there)."""
        self.created.append(Created(kind, identifier))
        log.info("created %s %s", kind, identifier)
        if self.journal is not None:
            self.journal.parent.mkdir(parents=True, exist_ok=True)
            with self.journal.open("a", encoding="utf-8") as journal:
                journal.write(json.dumps({"kind": kind, "identifier": identifier}) + "\n")

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


def _record_queue(
    clients: Clients, out: Provisioned, spec: QueueSpec, name: str, url: str, dlq_url: str, dlq_arn: str
) -> None:
    out.record(
        spec.logical_name,
        name,
        Url=url,
        Arn=_queue_arn(clients, url),
        DeadLetterUrl=dlq_url,
        DeadLetterArn=dlq_arn,
    )


def provision_queues(clients: Clients, settings: Settings, pipeline: Pipeline, out: Provisioned) -> None:
    for spec in pipeline.queues:
        name = physical_name(settings, spec.name)
        dlq_url = clients.sqs.create_queue(
            QueueName=f"{name}-dlq", Attributes={"MessageRetentionPeriod": "1209600"}
        )["QueueUrl"]
        out.made("queue", dlq_url)
        dlq_arn = _queue_arn(clients, dlq_url)
        redrive = {"deadLetterTargetArn": dlq_arn, "maxReceiveCount": str(spec.max_receive_count)}
        url = clients.sqs.create_queue(
            QueueName=name,
            Attributes={"VisibilityTimeout": str(scaled_visibility_timeout(settings, spec.visibility_timeout)), "RedrivePolicy": json.dumps(redrive)},
        )["QueueUrl"]
        out.made("queue", url)
        _record_queue(clients, out, spec, name, url, dlq_url, dlq_arn)


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
            out.made("table", name)
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
            out.made("bucket", name)
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
        # A value chosen before provisioning (a stand-in already started with it) is kept.
        value = out.secret_values.get(spec.logical_name) or secret_value(
            settings, spec.value_from, spec.generate_if_missing
        )
        register_secret(value)
        try:
            arn = clients.secretsmanager.create_secret(Name=name, SecretString=value)["ARN"]
            out.made("secret", arn)
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


def deploy_state_machine(
    clients: Clients, settings: Settings, pipeline: Pipeline, out: Provisioned, role_arn: str | None = None
) -> None:
    """Create or update the state machine; ``role_arn`` replaces the declared role (the aws stack's own)."""
    spec = pipeline.state_machine
    definition = json.dumps(render_definition(spec.definition, out.placeholders))
    name = physical_name(settings, spec.name)
    out.app_env["STATE_MACHINE_NAME"] = name
    sfn = clients.stepfunctions
    role = role_arn or spec.role_arn
    arn = _state_machine_arn(clients, name)
    if arn:
        sfn.update_state_machine(stateMachineArn=arn, definition=definition, roleArn=role)
    else:
        arn = sfn.create_state_machine(name=name, definition=definition, roleArn=role)["stateMachineArn"]
        out.made("state_machine", arn)
    out.state_machine_arn = arn
    log.info("deployed state machine %s", arn)


def provision(
    clients: Clients, settings: Settings, pipeline: Pipeline, out: Provisioned | None = None
) -> Provisioned:
    """Create the resources; pass ``out`` to keep the record of what was made if this fails half-way."""
    out = Provisioned() if out is None else out
    provision_resources(clients, settings, pipeline, out)
    deploy_state_machine(clients, settings, pipeline, out)
    return out


def provision_resources(clients: Clients, settings: Settings, pipeline: Pipeline, out: Provisioned) -> None:
    """Everything but the state machine: what its definition's placeholders are filled from."""
    provision_queues(clients, settings, pipeline, out)
    provision_tables(clients, settings, pipeline, out)
    provision_buckets(clients, settings, pipeline, out)
    provision_secrets(clients, settings, pipeline, out)


def discover(clients: Clients, settings: Settings, pipeline: Pipeline) -> Provisioned:
    """Read what another process provisioned (the compose stack's one-shot job): create nothing."""
    out = Provisioned()
    for spec in pipeline.queues:
        name = physical_name(settings, spec.name)
        url = clients.sqs.get_queue_url(QueueName=name)["QueueUrl"]
        dlq_url = clients.sqs.get_queue_url(QueueName=f"{name}-dlq")["QueueUrl"]
        _record_queue(clients, out, spec, name, url, dlq_url, _queue_arn(clients, dlq_url))
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


def planned_secret_values(settings: Settings, pipeline: Pipeline) -> dict[str, str]:
    """Each secret's value, chosen before anything is made, so helpers can start with it."""
    values = {spec.logical_name: secret_value(settings, spec.value_from, spec.generate_if_missing) for spec in pipeline.secrets}
    for value in values.values():
        register_secret(value)
    return values


def planned_app_env(settings: Settings, pipeline: Pipeline) -> dict[str, str]:
    """The resource names the apps are given, known before provisioning (they are only names)."""
    env = {
        env_name(spec.logical_name, "NAME"): physical_name(settings, spec.name)
        for group in (pipeline.queues, pipeline.tables, pipeline.buckets, pipeline.secrets)
        for spec in group
    }
    env["STATE_MACHINE_NAME"] = physical_name(settings, pipeline.state_machine.name)
    return env


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


def provision_role(clients: Clients, settings: Settings, pipeline: Pipeline, out: Provisioned) -> str:
    """The state machine's own role, allowed exactly what its definition calls; returns its ARN."""
    spec = pipeline.state_machine
    policy = least_privilege_policy(render_definition(spec.definition, out.placeholders), out.placeholders)
    name = physical_name(settings, spec.name)[:64]  # IAM's limit on role names
    arn = clients.iam.create_role(
        RoleName=name,
        AssumeRolePolicyDocument=json.dumps(TRUST_POLICY),
        Description=f"Runs the state machine {name}; made by the acceptance suite, removed after the run",
    )["Role"]["Arn"]
    out.made("role", name)
    clients.iam.put_role_policy(RoleName=name, PolicyName=ROLE_POLICY_NAME, PolicyDocument=json.dumps(policy))
    log.info("role %s may: %s", name, ", ".join(s["Action"] for s in policy["Statement"]))
    return str(arn)


def _empty_bucket(clients: Clients, bucket: str) -> None:
    for page in clients.s3.get_paginator("list_object_versions").paginate(Bucket=bucket):
        doomed = [
            {"Key": v["Key"], "VersionId": v["VersionId"]}
            for v in page.get("Versions", []) + page.get("DeleteMarkers", [])
        ]
        if doomed:
            clients.s3.delete_objects(Bucket=bucket, Delete={"Objects": doomed, "Quiet": True})


def _delete_bucket(clients: Clients, name: str) -> None:
    _empty_bucket(clients, name)
    clients.s3.delete_bucket(Bucket=name)


def _delete_role(clients: Clients, name: str) -> None:
    # Only the policy this run put on it; a role with anything else attached fails to delete, loudly.
    clients.iam.delete_role_policy(RoleName=name, PolicyName=ROLE_POLICY_NAME)
    clients.iam.delete_role(RoleName=name)


_DELETERS: dict[str, Callable[[Clients, str], None]] = {
    "queue": lambda c, url: c.sqs.delete_queue(QueueUrl=url),
    "table": lambda c, name: c.dynamodb.delete_table(TableName=name),
    "bucket": _delete_bucket,
    "secret": lambda c, arn: c.secretsmanager.delete_secret(SecretId=arn, ForceDeleteWithoutRecovery=True),
    "state_machine": lambda c, arn: c.stepfunctions.delete_state_machine(stateMachineArn=arn),
    "role": _delete_role,
}
_GONE = {"AWS.SimpleQueueService.NonExistentQueue", "QueueDoesNotExist", "ResourceNotFoundException", "NoSuchBucket",
         "NoSuchEntity", "StateMachineDoesNotExist"}


def read_journal(path: Path) -> list[Created]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return [Created(**json.loads(line)) for line in lines if line.strip()]


def deprovision(clients: Clients, created: list[Created]) -> list[str]:
    """Delete exactly what a run recorded it created, newest first; return what could not be deleted.

    Never raises for one resource: the others are still deleted, and what is left is named.
    """
    failures = []
    for resource in reversed(created):
        try:
            _DELETERS[resource.kind](clients, resource.identifier)
            log.info("deleted %s %s", resource.kind, resource.identifier)
        except ClientError as exc:
            if _error_code(exc) in _GONE:
                continue
            failures.append(f"{resource.kind} {resource.identifier}: {_error_code(exc)}: {exc}")
        except Exception as exc:  # noqa: BLE001 - keep deleting the rest; the failure is reported
            failures.append(f"{resource.kind} {resource.identifier}: {type(exc).__name__}: {exc}")
    return failures
