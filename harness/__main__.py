"""Command line of the harness: ``python -m harness COMMAND``.

    up          start the stack, print its endpoints and resources, wait for Ctrl-C
    check       check the pipeline declaration and its definition, start nothing
    provision   create the declared resources on the stack AWS_ENDPOINT_URL names, once it answers (compose)
    app NAME    run one declared app with the environment the declaration gives it (compose)
    acceptance  the suite as make acceptance runs it, split across processes: acceptance [behave options]
    parallel    the suite split across behave processes: parallel -n N [behave options]
    offline-aws the aws stack's suite through moto's proxy, no account: offline-aws [behave options]
    cleanup     delete what a run on real AWS left, from its journal: cleanup JOURNAL
    expect-runs did each suite run what it is expected to: expect-runs FILE --since EPOCH
"""

from __future__ import annotations

import argparse
import importlib.util
import logging
import os
import signal
import sys
import threading
from pathlib import Path

from harness.aws_clients import AwsTarget, Clients
from harness.pipeline import DeclarationError, Pipeline, load_pipeline
from harness.resources.plan import plan_resources
from harness.resources.provisioning import provision
from harness.settings import SettingsError, load_settings
from harness.stacks import open_stack
from harness.stacks import client_models
from harness.stacks.answering import wait_answering
from harness.stacks.launch import app_argv, app_env, without_secrets
from harness.stacks.provisioned_signal import PROVISIONED, ProvisionedSignal, wait_provisioned
from harness.statemachine.definition import DefinitionError
from harness.waiting import DeadlineExceeded

log = logging.getLogger("harness")

# Commands that hand the rest of the command line to another program's own parser.
PASS_THROUGH = {
    "acceptance": "harness.behave.acceptance",
    "parallel": "harness.behave.parallel",
    "offline-aws": "harness.stacks.aws_offline",
    "cleanup": "harness.stacks.aws_cleanup",
    "expect-runs": "harness.behave.run_expectations",
}


def _userdata(pairs: list[str]) -> dict[str, str]:
    userdata = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep:
            raise SettingsError(f"-D takes NAME=value, got {pair!r}")
        userdata[key] = value
    return userdata


def _wait_for_signal() -> None:
    stopped = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stopped.set())
    signal.signal(signal.SIGINT, lambda *_: stopped.set())
    stopped.wait()


def cmd_up(args: argparse.Namespace) -> int:
    settings = load_settings(args.project_dir, _userdata(args.define))
    stack = open_stack(settings)
    with stack:
        target = stack.aws.target
        print(f"{stack.name} stack ready", flush=True)
        print(f"  AWS endpoint:  {target.endpoint_url}   (region {target.region})")
        for name, endpoint in stack.service_endpoints.items():
            print(f"  {name}:  {endpoint}")
        print(f"  state machine: {stack.provisioned.state_machine_arn}")
        for key, value in sorted(stack.provisioned.app_env.items()):
            print(f"  {key}={value}")
        print(f"  logs: {settings.reports_dir / 'logs'}")
        print("Your own AWS CLI or SDK clients need:")
        for key, value in target.app_environment().items():
            if key.startswith("AWS_"):
                print(f"  export {key}={value}")
        print("Try: aws --endpoint-url", target.endpoint_url, "stepfunctions list-state-machines")
        print("Ctrl-C stops the stack.", flush=True)
        _wait_for_signal()
    print("stack stopped", flush=True)
    return 0


def cmd_provision(args: argparse.Namespace) -> int:
    """In the compose stack the job starts with the emulator: it reads its clients' models and
    waits until the endpoint answers, provisions, and (``--answer-on``) answers the apps'
    launchers once done, until stopped (harness/stacks/provisioned_signal.py)."""
    settings = load_settings(args.project_dir, _userdata(args.define))
    plan = plan_resources(settings.resource_prefix, load_pipeline(settings.pipeline_file))
    plan.preflight()
    signal_ = ProvisionedSignal(args.answer_on) if args.answer_on is not None else None
    try:
        endpoint = settings.get("AWS_ENDPOINT_URL")
        if endpoint:
            models = client_models.preload(settings.region)
            wait_answering(endpoint, timeout=settings.startup_timeout, awaited="the AWS endpoint")
            models.join()
        provisioned = provision(Clients(AwsTarget(settings.region, endpoint)), settings, plan)
        done = f"{PROVISIONED} {provisioned.state_machine_arn}"
        print(done, flush=True)
        if signal_ is not None:
            signal_.done(done + "\n")
            signal_.serve_until_stopped()
    finally:
        if signal_ is not None:
            signal_.close()
    return 0


def missing_modules(pipeline: Pipeline, project_dir: Path) -> list[str]:
    """Each declared program whose module cannot be found from the project folder."""
    sys.path.insert(0, str(project_dir))
    try:
        return [
            f"{kind} {spec.name}: no module {spec.module!r}"
            for kind, specs in (("service", pipeline.services), ("app", pipeline.apps))
            for spec in specs
            if _find_spec(spec.module) is None
        ]
    finally:
        sys.path.remove(str(project_dir))


def _find_spec(module: str) -> object | None:
    try:
        return importlib.util.find_spec(module)
    except (ImportError, ValueError):
        return None


def cmd_check(args: argparse.Namespace) -> int:
    settings = load_settings(args.project_dir, _userdata(args.define))
    pipeline = load_pipeline(settings.pipeline_file)
    plan_resources(settings.resource_prefix, pipeline).preflight()
    missing = missing_modules(pipeline, settings.project_dir)
    if missing:
        raise DeclarationError(f"{settings.pipeline_file.name}: " + "; ".join(missing))
    print(f"{settings.pipeline_file.name} and its definition are valid")
    return 0


def cmd_app(args: argparse.Namespace) -> int:
    """Inside a compose network: helper services are reached by their service name and port."""
    settings = load_settings(args.project_dir, _userdata(args.define))
    pipeline = load_pipeline(settings.pipeline_file)
    spec = pipeline.app(args.name)
    base = without_secrets(settings, pipeline)
    base.update(AwsTarget(settings.region, settings.get("AWS_ENDPOINT_URL")).app_environment())
    base.update(plan_resources(settings.resource_prefix, pipeline).app_env())
    endpoints = {
        s.name: (settings.get(s.endpoint_setting) if s.endpoint_setting else None) or f"http://{s.name}:{s.port}"
        for s in pipeline.services
        if s.port
    }
    env = app_env(settings, pipeline, spec, base, endpoints)
    argv = app_argv(spec)
    # As on every stack, an app starts once its resources exist (the compose stack starts its
    # container with the others: the provisioning job answers here once done) ...
    provisioned_url = settings.get("PROVISIONED_URL")
    if provisioned_url:
        wait_provisioned(provisioned_url, timeout=settings.startup_timeout)
    # ... and once the helper services it needs answer; one given by its endpoint setting (an
    # outside API) is not the stack's to wait for.
    for need in spec.needs:
        service = pipeline.service(need)
        if not (service.endpoint_setting and settings.get(service.endpoint_setting)):
            wait_answering(endpoints[need] + service.health_path, timeout=settings.startup_timeout, awaited=need)
    os.chdir(settings.project_dir)
    os.execve(argv[0], argv, env)
    return 0  # not reached


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] in PASS_THROUGH:
        module = importlib.import_module(PASS_THROUGH[argv[0]])
        return int(module.main(argv[1:]) or 0)
    parser = argparse.ArgumentParser(
        prog="python -m harness", description=__doc__.splitlines()[0],
        formatter_class=argparse.RawDescriptionHelpFormatter, epilog="\n".join(__doc__.splitlines()[2:]),
    )
    parser.add_argument("command", choices=["up", "check", "provision", "app", *PASS_THROUGH])
    parser.add_argument("name", nargs="?", help="app: the app's name in the declaration")
    parser.add_argument("--project-dir", type=Path, default=Path.cwd())
    parser.add_argument("-D", "--define", action="append", default=[], metavar="NAME=value")
    parser.add_argument(
        "--answer-on", type=int, metavar="PORT",
        help="provision: once done, answer HTTP on this port until stopped (the apps' PROVISIONED_URL)",
    )
    args = parser.parse_args(argv)
    if args.command == "app" and not args.name:
        parser.error("app needs the app's name")
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    commands = {"up": cmd_up, "provision": cmd_provision, "check": cmd_check, "app": cmd_app}
    try:
        return commands[args.command](args)
    except (SettingsError, DeclarationError, DefinitionError, KeyError, DeadlineExceeded) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
