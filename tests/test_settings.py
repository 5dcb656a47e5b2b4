"""Settings: sources merge in a fixed order of precedence and bad values are named."""

from __future__ import annotations

import json

from pathlib import Path

import pytest

from harness.pipeline import load_pipeline
from harness.settings import SettingsError, load_settings
from harness.stacks.launch import scaled_timings


def test_userdata_beats_environment_which_beats_dotenv(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text("RESOURCE_PREFIX=from-dotenv\nAWS_DEFAULT_REGION=eu-west-1\nLOG_LEVEL=DEBUG\n")
    settings = load_settings(
        tmp_path,
        userdata={"resource_prefix": "from-userdata"},
        environ={"RESOURCE_PREFIX": "from-env", "AWS_DEFAULT_REGION": "eu-central-1"},
    )
    assert settings.resource_prefix == "from-userdata"
    assert settings.region == "eu-central-1"
    assert settings.get("LOG_LEVEL") == "DEBUG"


def test_defaults_choose_the_embedded_stack(tmp_path: Path) -> None:
    settings = load_settings(tmp_path, environ={})
    assert settings.stack == "embedded"
    assert settings.pipeline_file == tmp_path.resolve() / "pipeline.json"


def test_an_unknown_stack_is_refused_by_name(tmp_path: Path) -> None:
    with pytest.raises(SettingsError, match="STACK must be one of .*'mars'"):
        load_settings(tmp_path, userdata={"stack": "mars"}, environ={})


def test_a_deadline_that_is_not_a_number_is_named(tmp_path: Path) -> None:
    with pytest.raises(SettingsError, match="EXECUTION_TIMEOUT_SECONDS must be a number"):
        load_settings(tmp_path, environ={"EXECUTION_TIMEOUT_SECONDS": "soon"})


def test_secret_values_stay_out_of_the_settings_repr(tmp_path: Path) -> None:
    settings = load_settings(tmp_path, environ={"SEC_API_KEY": "very-secret-key"})
    assert settings.get("SEC_API_KEY") == "very-secret-key"
    assert "very-secret-key" not in repr(settings)


def test_mock_config_and_prefix_come_from_the_declaration_and_can_be_switched_off(tmp_path: Path) -> None:
    declaration = {"name": "shop", "state_machine": {"name": "m", "definition": "d.json", "role_arn": "r",
                                                      "mock_config": "mocks/shop.mock.json"}}
    (tmp_path / "pipeline.json").write_text(json.dumps(declaration))
    settings = load_settings(tmp_path, environ={})
    expected = tmp_path.resolve() / "mocks" / "shop.mock.json"
    assert settings.resource_prefix == "shop"
    assert load_settings(tmp_path, environ={"RESOURCE_PREFIX": "mine"}).resource_prefix == "mine"
    assert settings.mock_config == expected
    assert settings.values["SFN_MOCK_CONFIG"] == str(expected)
    assert load_settings(tmp_path, environ={"SFN_MOCK_CONFIG": ""}).mock_config is None


def test_time_scale_must_be_positive(tmp_path: Path) -> None:
    assert load_settings(tmp_path, environ={}).time_scale == 0.1
    with pytest.raises(SettingsError, match="TIME_SCALE must be a finite number greater than 0"):
        load_settings(tmp_path, environ={"TIME_SCALE": "0"})


@pytest.mark.parametrize(
    "name", ["EXECUTION_TIMEOUT_SECONDS", "STARTUP_TIMEOUT_SECONDS", "TIME_SCALE"]
)
@pytest.mark.parametrize("value", ["nan", "inf", "-inf", "-5", "NaN"])
def test_a_timing_that_is_not_a_finite_positive_number_is_refused_by_name(tmp_path: Path, name: str, value: str) -> None:
    with pytest.raises(SettingsError, match=f"{name} must be a finite number greater than 0, got '{value}'"):
        load_settings(tmp_path, environ={name: value})


@pytest.mark.parametrize("value", ["nan", "inf", "0"])
def test_a_pipeline_duration_is_held_to_the_same_rule(tmp_path: Path, value: str) -> None:
    settings = load_settings(tmp_path, environ={"SEC_API_TIMEOUT_SECONDS": value})
    with pytest.raises(SettingsError, match="SEC_API_TIMEOUT_SECONDS must be a finite number greater than 0"):
        settings.seconds("SEC_API_TIMEOUT_SECONDS", "20")
    assert load_settings(tmp_path, environ={}).seconds("SEC_API_TIMEOUT_SECONDS", "20") == 20.0


@pytest.mark.parametrize(
    "line, named",
    [
        ('SEC_API_KEY="never closed', "line 2 (setting SEC_API_KEY)"),
        ("TIME SCALE 0.1", "line 2:"),
    ],
)
def test_a_malformed_dotenv_line_stops_the_run_naming_the_file_and_line(tmp_path: Path, line: str, named: str) -> None:
    dotenv = tmp_path / ".env"
    dotenv.write_text(f"STACK=embedded\n{line}\nTIME_SCALE=0.1\n")
    with pytest.raises(SettingsError) as caught:
        load_settings(tmp_path, environ={})
    assert str(caught.value).startswith(f"{dotenv}, {named}")
    assert "never closed" not in str(caught.value)


@pytest.mark.parametrize("value", ["nan", "inf", "-1"])
def test_a_declared_app_timing_replaced_by_a_setting_is_held_to_the_same_rule(tmp_path: Path, value: str) -> None:
    project = Path(__file__).resolve().parent.parent
    pipeline = load_pipeline(project / "pipeline.json")
    settings = load_settings(project, environ={"HEARTBEAT_INTERVAL_SECONDS": value})
    with pytest.raises(SettingsError, match=f"HEARTBEAT_INTERVAL_SECONDS must be a finite number greater than 0, got '{value}'"):
        scaled_timings(settings, pipeline, pipeline.app("utilities"))
    scaled = scaled_timings(load_settings(project, environ={}), pipeline, pipeline.app("utilities"))
    assert scaled["SEC_API_TIMEOUT_SECONDS"] == "2"  # 20 s at the default TIME_SCALE of 0.1


def test_an_app_declaring_secret_values_is_refused_by_name(tmp_path: Path) -> None:
    from harness.pipeline import DeclarationError, load_pipeline

    declaration = {"state_machine": {"name": "m", "definition": "d.json", "role_arn": "r"},
                   "apps": {"worker": {"module": "worker", "secret_env": {"KEY": "ApiKeySecret"}}}}
    (tmp_path / "pipeline.json").write_text(json.dumps(declaration))
    with pytest.raises(DeclarationError, match=r"apps\.worker\.secret_env"):
        load_pipeline(tmp_path / "pipeline.json")
