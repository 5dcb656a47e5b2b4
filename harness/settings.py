"""Settings, read once at start from the environment, `.env` and `behave -D` userdata.

Precedence, lowest first: built-in defaults, `.env`, environment variables, userdata. The
environment beats `.env` (python-dotenv's own rule, and what a CI job that exports a variable
expects); userdata beats both because it is what the user typed for this one run. Userdata keys
are case-insensitive: `-D stack=compose` and `-D STACK=compose` mean the same.
"""

from __future__ import annotations

import json
import math
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from dotenv import dotenv_values
from dotenv.parser import parse_stream

STACKS = ("embedded", "compose", "aws")

DEFAULTS: dict[str, str] = {
    "STACK": "embedded",
    "AWS_DEFAULT_REGION": "us-east-1",
    "PIPELINE_FILE": "pipeline.json",
    "REPORTS_DIR": "reports",
    "STARTUP_TIMEOUT_SECONDS": "20",
    "EXECUTION_TIMEOUT_SECONDS": "30",
    # One knob for every wait the pipeline makes, so fault scenarios stay fast: the emulator gets
    # it as SFN_TIME_SCALE (Wait, Retry intervals, TimeoutSeconds, HeartbeatSeconds), and the
    # queues' visibility timeouts and the apps' declared timings (pipeline.json) are multiplied by
    # it too, so every timing keeps its proportion to the others. 1 = real timings. At 0.1
    # HeartbeatSeconds 60 lasts 6 s, still longer than the apps' scaled heartbeat interval.
    "TIME_SCALE": "0.1",
}
# Not set: taken from the declaration (RESOURCE_PREFIX: its name; SFN_MOCK_CONFIG: its
# state machine's mock configuration). Set, even empty, they win.
FROM_DECLARATION = ("RESOURCE_PREFIX", "SFN_MOCK_CONFIG")


class SettingsError(ValueError):
    """A setting is missing or has a value that cannot be used."""


@dataclass(frozen=True)
class Settings:
    project_dir: Path
    stack: str
    region: str
    resource_prefix: str
    pipeline_file: Path
    reports_dir: Path
    startup_timeout: float
    execution_timeout: float
    time_scale: float
    mock_config: Path | None
    # Every merged value, for the pipeline's own variables (secrets among them): never printed.
    values: Mapping[str, str] = field(repr=False)

    def scaled(self, seconds: float) -> float:
        """How long a wait of ``seconds`` (as declared for AWS) lasts in this run."""
        return seconds * self.time_scale

    def get(self, name: str, default: str | None = None) -> str | None:
        value = self.values.get(name, default)
        return value if value != "" else default

    def seconds(self, name: str, default: str) -> float:
        """A pipeline's own duration setting, held to the same rule as the run's own."""
        return _number({name: self.get(name, default) or default}, name)


def _number(values: Mapping[str, str], name: str) -> float:
    try:
        number = float(values[name])
    except ValueError:
        raise SettingsError(f"{name} must be a number, got {values[name][:40]!r}") from None
    # nan and inf pass `> 0` or fail it silently, and a deadline of either never comes.
    if not math.isfinite(number) or number <= 0:
        raise SettingsError(f"{name} must be a finite number greater than 0, got {values[name][:40]!r}")
    return number


_NAME = re.compile(r"\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=")


def read_dotenv(path: Path) -> dict[str, str | None]:
    """The variables of a ``.env`` file; a line python-dotenv cannot parse stops the run.

    python-dotenv skips such a line with a warning that names neither the file nor the line,
    and the run would go on with defaults; the error names both (and the variable, if the line
    starts with one) but never the line's text, which may hold a secret.
    """
    with path.open(encoding="utf-8") as stream:
        for binding in parse_stream(stream):
            if binding.error:
                name = _NAME.match(binding.original.string)
                what = f" (setting {name.group(1)})" if name else ""
                raise SettingsError(
                    f"{path}, line {binding.original.line}{what}: python-dotenv cannot parse it; "
                    "write NAME=value, quoting a value with spaces or # and closing every quote"
                )
    return dotenv_values(path)


def _project_path(project_dir: Path, value: str) -> Path | None:
    """A path setting: empty means none; a relative path is taken from the project dir."""
    if not value.strip():
        return None
    return (project_dir / value).resolve()


def _declared_defaults(pipeline_file: Path) -> dict[str, str]:
    """The declaration's name and mock configuration, read lightly: ``load_pipeline`` reports
    whatever is wrong with the file when the stack loads it."""
    try:
        raw = json.loads(pipeline_file.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        raw = {}
    raw = raw if isinstance(raw, dict) else {}
    machine = raw.get("state_machine") if isinstance(raw.get("state_machine"), dict) else {}
    mock = machine.get("mock_config")
    return {
        "RESOURCE_PREFIX": str(raw.get("name") or pipeline_file.parent.name or "pipeline"),
        "SFN_MOCK_CONFIG": str(pipeline_file.parent / mock) if isinstance(mock, str) and mock else "",
    }


def merge_sources(
    dotenv: Mapping[str, str | None],
    environ: Mapping[str, str],
    userdata: Mapping[str, str],
) -> dict[str, str]:
    merged = dict(DEFAULTS)
    merged.update({k: v for k, v in dotenv.items() if v is not None})
    merged.update(environ)
    merged.update({k.upper(): str(v) for k, v in userdata.items()})
    return merged


def load_settings(
    project_dir: Path | str = ".",
    userdata: Mapping[str, str] | None = None,
    environ: Mapping[str, str] | None = None,
) -> Settings:
    project_dir = Path(project_dir).resolve()
    dotenv_file = project_dir / ".env"
    dotenv = read_dotenv(dotenv_file) if dotenv_file.is_file() else {}
    values = merge_sources(dotenv, os.environ if environ is None else environ, userdata or {})

    pipeline_file = project_dir / values["PIPELINE_FILE"]
    declared = _declared_defaults(pipeline_file)
    for name in FROM_DECLARATION:
        if name not in values:
            values[name] = declared[name]
    mock_config = _project_path(project_dir, values["SFN_MOCK_CONFIG"])
    # The emulator gets every value as its environment: give it the resolved path.
    values["SFN_MOCK_CONFIG"] = str(mock_config) if mock_config else ""
    stack = values["STACK"].lower()
    if stack not in STACKS:
        raise SettingsError(f"STACK must be one of {', '.join(STACKS)}, got {values['STACK']!r}")
    return Settings(
        project_dir=project_dir,
        stack=stack,
        region=values["AWS_DEFAULT_REGION"],
        resource_prefix=values["RESOURCE_PREFIX"],
        pipeline_file=pipeline_file,
        reports_dir=project_dir / values["REPORTS_DIR"],
        startup_timeout=_number(values, "STARTUP_TIMEOUT_SECONDS"),
        execution_timeout=_number(values, "EXECUTION_TIMEOUT_SECONDS"),
        time_scale=_number(values, "TIME_SCALE"),
        mock_config=mock_config,
        values=values,
    )


def userdata_from_behave_args(behave_args: list[str]) -> dict[str, str]:
    """The ``-D name=value`` pairs among behave's options (also ``-Dname=value`` and
    ``--define=name=value``), for a command that starts behave."""
    pairs = []
    for flag, value in zip(behave_args, [*behave_args[1:], ""]):
        if flag in ("-D", "--define"):
            pairs.append(value)
        elif flag.startswith("--define="):
            pairs.append(flag[len("--define="):])
        elif flag.startswith("-D") and len(flag) > 2:
            pairs.append(flag[2:])
    return dict(pair.split("=", 1) for pair in pairs if "=" in pair)
