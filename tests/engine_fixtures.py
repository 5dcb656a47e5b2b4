"""The engine tests' emulator: `python -m harness.stacks.emulator --port 0` at scaled time, and helpers."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from harness.aws_clients import AwsTarget, Clients
from harness.waiting import wait_until as harness_wait_until
from tests.emulator_fixtures import running_emulator

ROLE = "arn:aws:iam::123456789012:role/engine-tests"


@pytest.fixture(scope="session")
def endpoint(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    # Scaled time: a 100 s Wait or HeartbeatSeconds takes 1 s here.
    with running_emulator(tmp_path_factory.mktemp("engine") / "emulator.log", SFN_TIME_SCALE="0.01") as url:
        yield url


def client(endpoint: str, service: str) -> Any:
    return Clients(AwsTarget("us-east-1", endpoint)).client(service)


@pytest.fixture
def sfn(endpoint: str) -> Any:
    return client(endpoint, "stepfunctions")


@pytest.fixture
def sqs(endpoint: str) -> Any:
    return client(endpoint, "sqs")


def wait_until(predicate: Callable[[], Any], deadline_s: float = 30.0) -> Any:
    """Poll ``predicate`` until it returns something truthy, or fail at the deadline."""
    return harness_wait_until(predicate, timeout=deadline_s, awaited="the test's condition", interval=0.05)


def run(sfn: Any, definition: dict[str, Any], payload: Any = None, deadline_s: float = 30.0) -> dict[str, Any]:
    """Create, start, and wait for an execution to leave RUNNING; returns DescribeExecution."""
    sm = sfn.create_state_machine(name=f"t-{uuid.uuid4().hex[:12]}", definition=json.dumps(definition),
                                  roleArn=ROLE)
    ex = sfn.start_execution(stateMachineArn=sm["stateMachineArn"], input=json.dumps(payload or {}))

    def done() -> dict[str, Any] | None:
        d = sfn.describe_execution(executionArn=ex["executionArn"])
        return d if d["status"] != "RUNNING" else None

    return wait_until(done, deadline_s)
