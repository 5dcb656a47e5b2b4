"""The embedded stack as behave uses it: provisioned as declared, and stopped without a trace."""

from __future__ import annotations

import json
import os
import socket
from pathlib import Path

from harness.settings import load_settings
from harness.stacks import open_stack

PROJECT = Path(__file__).resolve().parent.parent


def _port_free(endpoint: str) -> bool:
    host, port = endpoint.rsplit("/", 1)[-1].split(":")
    with socket.socket() as probe:
        return probe.connect_ex((host, int(port))) != 0


def test_the_stack_starts_provisions_and_stops_leaving_nothing(tmp_path: Path) -> None:
    settings = load_settings(PROJECT, userdata={"reports_dir": str(tmp_path)}, environ=dict(os.environ))
    stack = open_stack(settings)
    with stack:
        clients = stack.aws
        pids = [p.pid for p in [stack.emulator, *stack.services.values(), *stack.apps.values()]]
        endpoints = [stack.aws.target.endpoint_url, *stack.service_endpoints.values()]
        placeholders = stack.provisioned.placeholders
        for queue in ("RequestQueue", "IngestQueue", "UtilitiesQueue", "ValidatorQueue"):
            attributes = clients.sqs.get_queue_attributes(
                QueueUrl=placeholders[f"{queue}Url"], AttributeNames=["RedrivePolicy"]
            )["Attributes"]
            policy = json.loads(attributes["RedrivePolicy"])
            assert policy["deadLetterTargetArn"] == placeholders[f"{queue}DeadLetterArn"]
        assert clients.dynamodb.describe_table(TableName=placeholders["FilingsTableName"])["Table"]["TableStatus"] == "ACTIVE"
        secret = clients.secretsmanager.get_secret_value(SecretId=placeholders["SecApiKeySecretName"])
        assert secret["SecretString"] == stack.provisioned.secret_values["SecApiKeySecret"]
        assert stack.timings["ready_s"] > 0

    for pid in pids:
        assert pid is not None and not os.path.exists(f"/proc/{pid}") or open(f"/proc/{pid}/stat").read().split(")")[-1].split()[0] == "Z"
    assert all(_port_free(endpoint) for endpoint in endpoints)
