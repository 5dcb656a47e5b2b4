"""Secrets Manager secrets, with a value from a setting (or made fresh for a local run)."""

from __future__ import annotations

import secrets as random

from botocore.exceptions import ClientError

from harness.aws_clients import Clients
from harness.redaction import check_secret, register_secret
from harness.resources.kind import Planned, error_code
from harness.resources.record import Provisioned
from harness.settings import Settings

kind = "secret"
section = "secrets"
suffixes = ("Name", "Arn")
gone = frozenset({"ResourceNotFoundException"})


def secret_value(settings: Settings, setting: str, generate_if_missing: bool) -> str:
    value = settings.get(setting)
    if value:
        # A value too short to mask would leak in every log line; refused by the setting's name.
        return check_secret(value, setting)
    if generate_if_missing:
        # No value configured: a local helper service accepts this one, made fresh for each run.
        return f"local-{random.token_hex(16)}"
    raise ValueError(f"{setting} is not set: put it in .env or the environment")


def create(clients: Clients, settings: Settings, planned: Planned, out: Provisioned) -> None:
    spec = planned.spec
    # A value chosen before provisioning (a helper service already started with it) is kept.
    value = out.secret_values.get(spec.logical_name) or secret_value(settings, spec.value_from, spec.generate_if_missing)
    register_secret(value)
    try:
        arn = clients.secretsmanager.create_secret(Name=planned.name, SecretString=value)["ARN"]
        out.made(kind, arn)
    except ClientError as exc:
        if error_code(exc) != "ResourceExistsException":
            raise
        arn = clients.secretsmanager.put_secret_value(SecretId=planned.name, SecretString=value)["ARN"]
    out.secret_values[spec.logical_name] = value
    out.record(spec.logical_name, planned.name, Arn=arn)


def discover(clients: Clients, planned: Planned, out: Provisioned) -> None:
    stored = clients.secretsmanager.get_secret_value(SecretId=planned.name)
    register_secret(stored["SecretString"])
    out.secret_values[planned.logical_name] = stored["SecretString"]
    out.record(planned.logical_name, planned.name, Arn=stored["ARN"])


def delete(clients: Clients, identifier: str) -> None:
    clients.secretsmanager.delete_secret(SecretId=identifier, ForceDeleteWithoutRecovery=True)


def plan_lines(planned: Planned) -> list[str]:
    return [f"secret           {planned.name}"]
