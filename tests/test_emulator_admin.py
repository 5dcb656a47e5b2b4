"""The emulator's admin and state endpoints, on a real emulator: closed unless a run opens them."""

from __future__ import annotations

import shutil
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from harness.aws_clients import AwsTarget, Clients
from harness.resources import secret_scan
from harness.stacks.processes import ProcessFailed
from harness.stacks.aws_proxy_process import running_proxy
from tests.emulator_fixtures import running_emulator

SECRET = "sk-admin-probe-0123456789"
ADMIN_PATHS = ["/moto-api/", "/moto-api/data.json", "/moto-api/reset", "/moto-api/config", "//moto-api/data.json"]


def status_and_body(url: str, method: str = "GET", host: str | None = None) -> tuple[int, str]:
    request = urllib.request.Request(url, method=method, data=b"" if method == "POST" else None)
    if host:
        request.add_header("Host", host)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.read().decode("utf-8", errors="replace")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8", errors="replace")


def with_secret(endpoint: str) -> str:
    Clients(AwsTarget("us-east-1", endpoint)).client("secretsmanager").create_secret(Name="probe", SecretString=SECRET)
    return endpoint


@pytest.fixture(scope="module")
def closed_emulator(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with running_emulator(tmp_path_factory.mktemp("closed") / "emulator.log") as endpoint:
        yield with_secret(endpoint)


@pytest.mark.parametrize("path", ADMIN_PATHS)
@pytest.mark.parametrize("method", ["GET", "POST"])
def test_the_admin_api_is_closed_by_default(closed_emulator: str, path: str, method: str) -> None:
    status, body = status_and_body(closed_emulator + path, method)
    assert status == 403, f"{method} {path} answered {status}"
    assert SECRET not in body and "EMULATOR_ADMIN_API=open" in body


def test_the_admin_app_is_closed_by_host_too(closed_emulator: str) -> None:
    status, body = status_and_body(closed_emulator + "/moto-api/data.json", host="motoapi.amazonaws.com")
    assert status == 403 and SECRET not in body


def test_the_aws_apis_still_answer_on_a_closed_emulator(closed_emulator: str) -> None:
    secrets = Clients(AwsTarget("us-east-1", closed_emulator)).client("secretsmanager")
    assert secrets.get_secret_value(SecretId="probe")["SecretString"] == SECRET


def test_a_run_that_asks_for_the_admin_api_gets_it_and_the_key_scan_sees_the_key_there(tmp_path: Path) -> None:
    with running_emulator(tmp_path / "emulator.log", EMULATOR_ADMIN_API="open") as endpoint:
        status, body = status_and_body(with_secret(endpoint) + "/moto-api/data.json")
        scanned = secret_scan.places_holding(
            SECRET, secret_scan.endpoint_texts({"aws-emulator": endpoint}, secret_scan.EMULATOR_PATHS)
        )
    assert status == 200 and SECRET in body
    assert scanned == (3, ["aws-emulator GET /moto-api/data.json"])


def test_the_key_scan_reads_every_path_of_a_closed_emulator_and_finds_nothing(closed_emulator: str) -> None:
    texts = list(secret_scan.endpoint_texts({"aws-emulator": closed_emulator}, secret_scan.EMULATOR_PATHS))
    assert [where for where, _ in texts] == [f"aws-emulator GET {path}" for path in secret_scan.EMULATOR_PATHS]
    assert secret_scan.places_holding(SECRET, iter(texts)) == (3, [])


def test_a_setting_the_emulator_cannot_use_stops_it_naming_the_setting(tmp_path: Path) -> None:
    with pytest.raises(ProcessFailed, match="SFN_TIME_SCALE must be a finite positive number, got 'nan'"):
        with running_emulator(tmp_path / "emulator.log", deadline=20, SFN_TIME_SCALE="nan"):
            pass


def test_the_proxy_closes_the_admin_api_for_every_host(tmp_path: Path) -> None:
    if shutil.which("openssl") is None:
        pytest.skip("moto's proxy makes its certificates with openssl, which is not installed")
    with running_proxy(tmp_path / "proxy.log") as env:
        proxies = {"http": env["HTTPS_PROXY"], "https": env["HTTPS_PROXY"]}
        for url in ("https://motoapi.amazonaws.com/moto-api/data.json", "https://s3.amazonaws.com/moto-api/data.json"):
            response = requests.get(url, proxies=proxies, verify=env["AWS_CA_BUNDLE"], timeout=10)
            assert response.status_code == 403, f"{url} answered {response.status_code}"
