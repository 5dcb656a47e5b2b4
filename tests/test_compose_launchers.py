"""``python -m harness provision`` and ``python -m harness app NAME`` as the compose stack runs
them, started together: the job waits for the endpoint and provisions; the launcher starts the
app only once the job says it is done (PROVISIONED_URL), and each gives up at its deadline,
naming what it waited for. Real processes against the real emulator."""

from __future__ import annotations

import socket
import subprocess
import sys
import uuid
from pathlib import Path

from harness.aws_clients import Clients
from harness.stacks.processes import ManagedProcess, free_port

PROJECT = Path(__file__).resolve().parent.parent


def environment(emulator: Clients | None = None, **extra: str) -> dict[str, str]:
    env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(PROJECT), "SEC_API_KEY": "launcher-test-key",
           "AWS_DEFAULT_REGION": "us-east-1"}
    if emulator is not None:
        env.update(emulator.target.app_environment())
    env.update(extra)
    return env


def command_line(pid: int) -> str:
    return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()


def run(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "harness", *args], cwd=PROJECT, env=environment(**env),
                          capture_output=True, text=True, timeout=60)


def test_the_app_starts_once_the_job_started_beside_it_has_provisioned(emulator: Clients, tmp_path: Path) -> None:
    env = environment(emulator, RESOURCE_PREFIX=f"launch-{uuid.uuid4().hex[:8]}", TIME_SCALE="0.1",
                      STARTUP_TIMEOUT_SECONDS="60")
    # Where the job will answer; until it starts, a plain socket takes the launcher's request, so
    # the test knows the launcher has reached its wait.
    early = socket.create_server(("127.0.0.1", 0))
    port = early.getsockname()[1]
    launcher = ManagedProcess("validator", [sys.executable, "-m", "harness", "app", "validator"],
                              env={**env, "PROVISIONED_URL": f"http://127.0.0.1:{port}/"},
                              log_path=tmp_path / "validator.log", cwd=PROJECT)
    job = ManagedProcess("provision", [sys.executable, "-m", "harness", "provision", "--answer-on", str(port)],
                         env=env, log_path=tmp_path / "provision.log", cwd=PROJECT)
    launcher.start()
    try:
        early.settimeout(30)
        asked, _ = early.accept()
        assert asked.recv(1024).startswith(b"GET / HTTP/1.1")
        assert "harness app validator" in command_line(launcher.pid), "the app started before provisioning"
        asked.close()
        early.close()
        job.start()
        job.wait_ready(60, "provisioned")
        launcher.wait_ready(60)  # the app's own READY line: its queue exists
        assert "-m workers.validator" in command_line(launcher.pid)
        assert "provisioned arn:aws:states:" in job.output()
    finally:
        early.close()
        launcher.stop()
        job.terminate()
        job.stop()
    assert job.returncode == 0, job.tail()


def test_a_launcher_whose_job_never_answers_gives_up_at_its_deadline_without_starting_the_app() -> None:
    url = f"http://127.0.0.1:{free_port()}/"
    done = run("app", "validator", PROVISIONED_URL=url, STARTUP_TIMEOUT_SECONDS="1")
    assert done.returncode == 2
    assert f"error: waited 1 s for provisioning to be done at {url}, in vain" in done.stderr
    assert "READY" not in done.stdout and "Traceback" not in done.stderr


def test_a_launcher_waits_for_the_helper_service_its_app_needs() -> None:
    done = run("app", "utilities", SEC_API_BASE_URL="", STARTUP_TIMEOUT_SECONDS="1")
    # In the compose network the stand-in is the service sec-api; here nothing answers there.
    assert done.returncode == 2
    assert "error: waited 1 s for sec-api to answer at http://sec-api:8080/, in vain" in done.stderr
    assert "Traceback" not in done.stderr


def test_the_job_waits_for_the_endpoint_and_gives_up_at_its_deadline_naming_it() -> None:
    url = f"http://127.0.0.1:{free_port()}"
    done = run("provision", "--answer-on", str(free_port()), AWS_ENDPOINT_URL=url, STARTUP_TIMEOUT_SECONDS="1",
               AWS_ACCESS_KEY_ID="test", AWS_SECRET_ACCESS_KEY="test")
    assert done.returncode == 2
    assert f"error: waited 1 s for the AWS endpoint to answer at {url}, in vain" in done.stderr
    assert "Traceback" not in done.stderr
