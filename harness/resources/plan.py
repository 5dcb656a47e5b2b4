"""The one plan of a run's resources: each declared resource with its physical name.

Made from the declaration and the run's ``RESOURCE_PREFIX`` before anything exists, it gives once
what every stack needs to know in advance: the names, the placeholders the definition may use,
the apps' environment, and the lines of the plan the aws stack prints before it creates anything.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from harness.pipeline import Pipeline, env_name
from harness.resources.kind import Planned
from harness.resources.kinds import KINDS
from harness.resources.secrets import secret_value
from harness.redaction import register_secret
from harness.settings import Settings
from harness.statemachine.definition import render_definition

STATE_MACHINE_ENV = "STATE_MACHINE_NAME"


def physical_name(prefix: str, name: str) -> str:
    return f"{prefix}-{name}"


@dataclass(frozen=True)
class ResourcePlan:
    prefix: str
    pipeline: Pipeline
    resources: tuple[tuple[Any, Planned], ...]  # (kind module, planned resource), in creation order

    @property
    def state_machine_name(self) -> str:
        return physical_name(self.prefix, self.pipeline.state_machine.name)

    def of_kind(self, kind: Any) -> list[Planned]:
        return [planned for k, planned in self.resources if k is kind]

    def app_env(self) -> dict[str, str]:
        """The resource names the apps are given: known before provisioning, they are only names."""
        env = {env_name(planned.logical_name, "NAME"): planned.name for _, planned in self.resources}
        env[STATE_MACHINE_ENV] = self.state_machine_name
        return env

    def placeholder_names(self) -> set[str]:
        """Every placeholder provisioning fills, known before anything is made."""
        return {f"{planned.logical_name}{suffix}" for kind, planned in self.resources for suffix in kind.suffixes}

    def secret_values(self, settings: Settings) -> dict[str, str]:
        """Each secret's value, chosen before anything is made, so helper services can start with it."""
        values = {}
        for spec in self.pipeline.secrets:
            values[spec.logical_name] = secret_value(settings, spec.value_from, spec.generate_if_missing)
            register_secret(values[spec.logical_name])
        return values

    def lines(self) -> list[str]:
        """What the run will create, one line each."""
        return [line for kind, planned in self.resources for line in kind.plan_lines(planned)]

    def preflight(self) -> None:
        """Check the definition against the declaration before a process starts or a resource is made."""
        render_definition(
            self.pipeline.state_machine.definition,
            {name: f"placeholder-{name}" for name in self.placeholder_names()},
        )


def plan_resources(prefix: str, pipeline: Pipeline) -> ResourcePlan:
    resources = tuple(
        (kind, Planned(spec, physical_name(prefix, spec.name)))
        for kind in KINDS
        for spec in pipeline.resources(kind.section)
    )
    return ResourcePlan(prefix, pipeline, resources)
