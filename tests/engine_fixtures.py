"""The engine tests' emulator: `python -m harness.emulator --port 0` at scaled time, and helpers."""

from __future__ import annotations

import json
import os
import select
import subprocess
import sys
import tempfile
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest

from harness.waiting import wait_until as harness_wait_until

REPO = Path(__file__).resolve().parent.parent
START_DEADLINE_S = 30.0
ROLE = "arn:aws:iam::123456789012:role/engine-tests"


def _start(env_extra: dict[str, str]) -> tuple[subprocess.Popen[bytes], str]:
    # The log goes to a file: a pipe nobody drains would block the emulator once it filled up.
    log = tempfile.NamedTemporaryFile(prefix="engine-emulator-", suffix=".log", delete=False)
    proc = subprocess.Popen([sys.executable, "-m", "harness.emulator", "--port", "0"], cwd=REPO,
                            env={**os.environ, **env_extra}, stdout=subprocess.PIPE, stderr=log)
    assert proc.stdout is not None
    ready, _, _ = select.select([proc.stdout], [], [], START_DEADLINE_S)
    if not ready:
        proc.kill()
        raise RuntimeError("emulator printed nothing before the deadline")
    line = proc.stdout.readline().decode().strip()
    if not line.startswith("READY "):
        proc.kill()
        raise RuntimeError(f"emulator did not start: {line!r} {Path(log.name).read_text()[-2000:]}")
    return proc, line.split(" ", 1)[1]


@pytest.fixture(scope="session")
def endpoint() -> Iterator[str]:
    # Scaled time: a 100 s Wait or HeartbeatSeconds takes 1 s here.
    proc, url = _start({"SFN_TIME_SCALE": "0.01"})
    try:
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


def client(endpoint: str, service: str) -> Any:
    return boto3.client(service, endpoint_url=endpoint, region_name="us-east-1",
                        aws_access_key_id="testing", aws_secret_access_key="testing")


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
