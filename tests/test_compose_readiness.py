"""Waiting for the compose stack's containers (harness/stacks/compose_readiness.py), on real
containers: ready when the current run has written its ready line, never on a line an earlier
run wrote; an error exit is named with its last lines; a one-shot job that exited 0 is done.

Needs Docker and the stack's image (`make images`); skipped, saying so, without them."""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator
from typing import Any

import pytest

from harness.stacks.compose_readiness import NotReady, wait_ready

IMAGE = "sec-pipeline/app:local"


@pytest.fixture(scope="module")
def docker_client() -> Any:
    docker = pytest.importorskip("docker")
    try:
        client = docker.from_env()
        client.images.get(IMAGE)
    except docker.errors.ImageNotFound:
        pytest.skip(f"no image {IMAGE}: `make images` builds it")
    except docker.errors.DockerException as exc:
        pytest.skip(f"no Docker engine here: {exc}")
    return client


@pytest.fixture
def run(docker_client: Any) -> Iterator[Any]:
    started: list[Any] = []

    def start(script: str) -> Any:
        container = docker_client.containers.run(IMAGE, ["sh", "-c", script], detach=True,
                                                 name=f"readiness-test-{uuid.uuid4().hex[:8]}")
        started.append(container)
        container.reload()
        return container

    yield start
    for container in started:
        container.remove(force=True)


def lines(service: str) -> str | None:
    return {"app": "READY", "job": "provisioned"}.get(service)


def tail(container: Any) -> str:
    return container.logs(tail=5).decode()


def test_ready_once_the_line_is_written_not_before(run: Any) -> None:
    app = run("echo starting; sleep 1.5; echo 'READY http://queue'; sleep 60")
    began = time.monotonic()
    wait_ready({"app": app}, lines, timeout=30, tail=tail)
    assert time.monotonic() - began >= 1.0
    assert b"READY http://queue" in app.logs()


def test_a_line_written_by_an_earlier_run_is_not_taken_for_this_one(run: Any) -> None:
    # The first run says READY; the second (same container, restarted) never does.
    app = run("if [ -e /tmp/ran ]; then sleep 60; else touch /tmp/ran; echo READY; sleep 60; fi")
    wait_ready({"app": app}, lines, timeout=30, tail=tail)
    app.restart(timeout=0)
    app.reload()
    with pytest.raises(NotReady, match=r"not ready: app \(running\)"):
        wait_ready({"app": app}, lines, timeout=2, tail=tail)


def test_an_error_exit_is_named_with_its_last_lines(run: Any) -> None:
    app = run("echo 'cannot reach the queue'; exit 3")
    with pytest.raises(NotReady, match=r"(?s)app exited with 3:.*cannot reach the queue"):
        wait_ready({"app": app}, lines, timeout=30, tail=tail)


def test_a_job_that_exited_0_is_done_and_one_without_a_ready_line_is_ready_once_running(run: Any) -> None:
    job = run("echo working; exit 0")
    server = run("sleep 60")
    wait_ready({"job": job, "server": server}, lines, timeout=30, tail=tail)
