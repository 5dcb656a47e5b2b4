"""docker-compose.yml names the resources provisioning makes from pipeline.json.

The workers in the compose stack get their queue, table, bucket, secret and state machine names
from the compose file, not from the provisioning run, so the two must agree.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from harness.pipeline import env_name, load_pipeline

ROOT = Path(__file__).resolve().parent.parent
# Names are written ${RESOURCE_PREFIX:-sec-pipeline}-...: check them with the default prefix.
COMPOSE = yaml.safe_load(
    (ROOT / "docker-compose.yml").read_text().replace("${RESOURCE_PREFIX:-sec-pipeline}", "sec-pipeline")
)
WORKERS = ("dispatcher", "ingest", "utilities", "validator")


def expected_app_env(prefix: str) -> dict[str, str]:
    pipeline = load_pipeline(ROOT / "pipeline.json")
    env = {"STATE_MACHINE_NAME": f"{prefix}-{pipeline.state_machine.name}"}
    for group in (pipeline.queues, pipeline.tables, pipeline.buckets, pipeline.secrets):
        for spec in group:
            env[env_name(spec.logical_name, "NAME")] = f"{prefix}-{spec.name}"
    return env


def test_every_worker_gets_the_names_provisioning_makes() -> None:
    for worker in WORKERS:
        env = COMPOSE["services"][worker]["environment"]
        assert env.items() >= expected_app_env(env["RESOURCE_PREFIX"]).items(), worker


def test_every_declared_app_has_a_service() -> None:
    apps = {app.name for app in load_pipeline(ROOT / "pipeline.json").apps}
    assert apps <= set(COMPOSE["services"])


def test_provisioning_and_workers_use_the_same_prefix() -> None:
    services = COMPOSE["services"]
    prefixes = {services[name]["environment"]["RESOURCE_PREFIX"] for name in (*WORKERS, "provision")}
    assert len(prefixes) == 1


def test_no_service_gets_the_docker_socket_unless_a_profile_asks_for_it() -> None:
    for name, service in COMPOSE["services"].items():
        mounts = [str(volume) for volume in service.get("volumes", [])]
        if any("docker.sock" in mount for mount in mounts):
            assert service.get("profiles"), f"{name} mounts the Docker socket in every run"


def test_no_service_runs_as_root() -> None:
    for name, service in COMPOSE["services"].items():
        user = str(service.get("user", "")).split(":")[0]
        assert user not in ("root", "0"), f"{name} runs as root"


def test_the_image_runs_as_a_user_of_its_own() -> None:
    users = [line.split()[1] for line in (ROOT / "Dockerfile").read_text().splitlines() if line.startswith("USER ")]
    assert users and users[-1] not in ("root", "0")
