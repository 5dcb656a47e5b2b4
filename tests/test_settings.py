"""Settings: sources merge in a fixed order of precedence and bad values are named."""

from __future__ import annotations

import json

from pathlib import Path

import pytest

from harness.settings import SettingsError, load_settings


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
    with pytest.raises(SettingsError, match="TIME_SCALE must be greater than 0"):
        load_settings(tmp_path, environ={"TIME_SCALE": "0"})
