"""Clients made with default settings reach TestState and StartSyncExecution on the local stack.

botocore's model puts the host prefix ``sync-`` on both operations, so a default client sends
them to ``sync-127.0.0.1``, which resolves nowhere. The stack hands its clients
``AWS_DISABLE_HOST_PREFIX_INJECTION=true`` (botocore's and the AWS CLI's setting), and the
harness's own clients turn the prefix off.
"""

from __future__ import annotations

import json
import subprocess
import sys
from typing import Any

import boto3
import pytest
from botocore.exceptions import EndpointConnectionError

from harness.aws_clients import HOST_PREFIX_SETTING, AwsTarget, Clients

PASS_STATE = json.dumps({"Type": "Pass", "Result": {"ok": True}, "End": True})


def _default_client(monkeypatch: pytest.MonkeyPatch, env: dict[str, str]) -> Any:
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return boto3.client("stepfunctions")  # every setting from the environment, as an app's


def test_the_environment_a_stack_hands_out_reaches_test_state(endpoint: str, monkeypatch: pytest.MonkeyPatch) -> None:
    env = AwsTarget("us-east-1", endpoint).app_environment()
    assert env[HOST_PREFIX_SETTING] == "true"
    result = _default_client(monkeypatch, env).test_state(definition=PASS_STATE)
    assert (result["status"], result["output"]) == ("SUCCEEDED", '{"ok":true}')


def test_without_the_setting_a_default_client_goes_to_the_sync_host(endpoint: str,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    env = AwsTarget("us-east-1", endpoint).app_environment()
    del env[HOST_PREFIX_SETTING]
    monkeypatch.delenv(HOST_PREFIX_SETTING, raising=False)
    client = _default_client(monkeypatch, env)
    client.meta.config.retries = {"total_max_attempts": 1}
    with pytest.raises(EndpointConnectionError, match="sync-127.0.0.1"):
        client.test_state(definition=PASS_STATE)


def test_the_harness_clients_reach_test_state(endpoint: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(HOST_PREFIX_SETTING, raising=False)
    sfn = Clients(AwsTarget("us-east-1", endpoint)).stepfunctions
    assert sfn.test_state(definition=PASS_STATE)["status"] == "SUCCEEDED"


def test_moto_s_proxy_takes_the_sync_host_for_step_functions() -> None:
    # The aws stack's offline run: clients keep the prefix and reach moto through its proxy.
    script = """
from moto.moto_proxy.proxy3 import MotoRequestHandler
host = "https://sync-states.us-east-1.amazonaws.com"
before = MotoRequestHandler(0).get_backend_for_host(host)
from harness import engine
engine.install()
print(before, MotoRequestHandler(0).get_backend_for_host(host))
"""
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert done.stdout.split() == ["None", "stepfunctions"], done.stdout + done.stderr
