"""The emulator loads a service's models when that service is first used, not at start-up."""

from __future__ import annotations

import subprocess
import sys
import textwrap

from hamcrest import assert_that, equal_to, has_key

from harness.aws_clients import Clients
from tests.emulator_fixtures import PROJECT


def _loaded_after(script: str) -> str:
    completed = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(script)],
        cwd=PROJECT,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    return completed.stdout.strip()


def test_the_step_functions_interpreter_loads_without_batch_or_ec2_models() -> None:
    loaded = _loaded_after(
        """
        import sys
        from harness.stacks import lazy_moto_packages
        lazy_moto_packages.install()
        import moto.stepfunctions.parser.asl.parse.preprocessor  # imports moto.batch.utils
        print(sorted(name for name in ("moto.batch.models", "moto.ec2") if name in sys.modules))
        """
    )
    assert_that(loaded, equal_to("[]"))


def test_a_deferred_package_gives_its_backends_on_first_use() -> None:
    loaded = _loaded_after(
        """
        from harness.stacks import lazy_moto_packages
        lazy_moto_packages.install()
        from moto.backends import get_backend
        print(type(get_backend("batch")).__name__)
        """
    )
    assert_that(loaded, equal_to("BackendDict"))


def test_services_the_stack_does_not_use_still_answer(emulator: Clients) -> None:
    batch = emulator.client("batch")
    assert_that(batch.describe_job_queues(), has_key("jobQueues"))
    ec2 = emulator.client("ec2")
    assert_that(ec2.describe_regions(), has_key("Regions"))
