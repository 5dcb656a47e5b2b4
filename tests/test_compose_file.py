"""docker-compose.yml agrees with pipeline.json, and says where it does not.

The declaration is the one source: every declared app is a service that runs through
``python -m harness app NAME`` (which gives it the names, endpoints and scaled timings the
declaration implies, as on every stack), every helper service runs its declared module on its
declared port and publishes it, and nothing in the file repeats a name or a timing.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from harness.pipeline import env_name, load_pipeline
from harness.stacks.compose import APP_FAULTS_RUNNER, EMULATOR, PROVISION, RUNNER, port_variable

ROOT = Path(__file__).resolve().parent.parent
COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
PIPELINE = load_pipeline(ROOT / "pipeline.json")
SERVICES = COMPOSE["services"]


def differences(services: dict = SERVICES) -> list[str]:
    """Each way the compose file departs from the declaration, in words."""
    found = []
    declared = {a.name for a in PIPELINE.apps} | {s.name for s in PIPELINE.services} | {EMULATOR, PROVISION, RUNNER, APP_FAULTS_RUNNER}
    for extra in sorted(set(services) - declared):
        found.append(f"service {extra!r} is in docker-compose.yml but not in pipeline.json")
    for app in PIPELINE.apps:
        service = services.get(app.name)
        if service is None:
            found.append(f"app {app.name!r} has no service")
            continue
        if service.get("command") != ["python", "-m", "harness", "app", app.name]:
            found.append(f"app {app.name!r} runs {service.get('command')}, not `python -m harness app {app.name}`")
        needs = set(service.get("depends_on", {}))
        for need in app.needs:
            if need not in needs:
                found.append(f"app {app.name!r} needs {need!r} but does not depend on it")
        env = service.get("environment", {})
        repeated = [name for name in env if name in PIPELINE.app_timings or name in app.timings
                    or name.endswith("_NAME") and name != "APP_NAME"]
        if repeated:
            found.append(f"app {app.name!r} hard-codes {', '.join(repeated)}: the declaration gives them")
        for setting in PIPELINE.fault_settings:
            if setting not in env:
                found.append(f"app {app.name!r} does not pass the fault switch {setting}")
    for spec in PIPELINE.services:
        service = services.get(spec.name)
        if service is None:
            found.append(f"helper service {spec.name!r} has no service")
            continue
        command = ["python", "-m", spec.module, *spec.args, "--host", "0.0.0.0", "--port", str(spec.port)]
        if service.get("command") != command:
            found.append(f"helper service {spec.name!r} runs {service.get('command')}, declared {command}")
        published = f"127.0.0.1:${{{port_variable(spec.name)}:-{spec.port}}}:{spec.port}"
        if published not in service.get("ports", []):
            found.append(f"helper service {spec.name!r} does not publish {published}")
    runner_needs = set(services.get(RUNNER, {}).get("depends_on", {}))
    for program in (*PIPELINE.apps, *PIPELINE.services):
        if program.name not in runner_needs:
            found.append(f"the {RUNNER} service does not wait for {program.name!r}")
    prefix = services[PROVISION].get("environment", {}).get("RESOURCE_PREFIX", "")
    if prefix != f"${{RESOURCE_PREFIX:-{PIPELINE.name}}}":
        found.append(f"the default RESOURCE_PREFIX {prefix!r} is not the declaration's name {PIPELINE.name!r}")
    mock = PIPELINE.state_machine.mock_config
    expected_mock = f"/app/{mock.relative_to(ROOT)}" if mock else None
    if services[EMULATOR]["environment"].get("SFN_MOCK_CONFIG") != expected_mock:
        found.append(f"the emulator's SFN_MOCK_CONFIG is not the declared {expected_mock}")
    return found


def test_docker_compose_file_agrees_with_the_declaration() -> None:
    assert differences() == []


def test_a_difference_is_named() -> None:
    broken = {**SERVICES, "ingest": {**SERVICES["ingest"], "environment": {"INGEST_QUEUE_NAME": "x"}}}
    found = differences(broken)
    assert "app 'ingest' hard-codes INGEST_QUEUE_NAME: the declaration gives them" in found
    assert any("fault switch" in line for line in found)


def test_app_names_come_from_the_plan_not_the_file() -> None:
    from harness.resources.plan import plan_resources

    env = plan_resources("p", PIPELINE).app_env()
    assert env[env_name("IngestQueue", "NAME")] == "p-ingest"
    assert env["STATE_MACHINE_NAME"] == f"p-{PIPELINE.state_machine.name}"


def test_no_service_gets_the_docker_socket_unless_a_profile_asks_for_it() -> None:
    for name, service in SERVICES.items():
        mounts = [str(volume) for volume in service.get("volumes", [])]
        if any("docker.sock" in mount for mount in mounts):
            assert service.get("profiles"), f"{name} mounts the Docker socket in every run"


def test_no_service_runs_as_root() -> None:
    for name, service in SERVICES.items():
        user = str(service.get("user", "")).split(":")[0]
        assert user not in ("root", "0"), f"{name} runs as root"


def test_the_image_runs_as_a_user_of_its_own() -> None:
    users = [line.split()[1] for line in (ROOT / "Dockerfile").read_text().splitlines() if line.startswith("USER ")]
    assert users and users[-1] not in ("root", "0")


def test_the_emulator_keeps_its_admin_api_closed_unless_a_run_opens_it() -> None:
    assert SERVICES[EMULATOR]["environment"]["EMULATOR_ADMIN_API"] == "${EMULATOR_ADMIN_API:-closed}"
