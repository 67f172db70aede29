"""Production shape: settings pass Django's deploy checks, and the compose file runs
commands that exist in this project (Docker itself cannot run on the CI machines)."""

from __future__ import annotations

import importlib
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from django.core.management import get_commands

ROOT = Path(__file__).resolve().parent.parent
PRODUCTION_ENV = {
    "DEBUG": "false",
    "SECRET_KEY": "x7!k2Qp9Lr4Zt8Vw1Ny6Hb3Jd5Mf0Gs-production-test-key-not-secret",
    "ALLOWED_HOSTS": "pledgewatch.example.org",
    "DATABASE_URL": "sqlite:///:memory:",
}


def manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY"}}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_deploy_check_reports_nothing():
    result = manage("check", "--deploy", "--fail-level", "DEBUG", env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    env = {**PRODUCTION_ENV, "SECRET_KEY": ""}
    result = manage("check", env=env)
    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off" in result.stderr


def test_a_bad_boolean_setting_is_a_clear_error():
    result = manage("check", env={**PRODUCTION_ENV, "DEBUG": "perhaps"})
    assert "DEBUG must be true or false, not 'perhaps'" in result.stderr


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def test_compose_has_the_production_services(compose):
    assert {"postgres", "redis", "web", "worker", "beat"} <= set(compose["services"])
    assert (ROOT / "Dockerfile").is_file()
    for name in ("web", "worker", "beat", "migrate"):
        service = compose["services"][name]
        assert service["build"] == "."
        assert service["environment"]["DEBUG"] == "false"
        assert service["environment"]["CELERY_BROKER_URL"].startswith("redis://redis:")


def _command(compose: dict, name: str) -> list[str]:
    return compose["services"][name]["command"]


def test_web_runs_gunicorn_on_our_wsgi_app(compose):
    command = _command(compose, "web")
    assert command[0] == "gunicorn"
    module, attribute = command[1].split(":")
    assert callable(getattr(importlib.import_module(module), attribute))


@pytest.mark.parametrize("service", ["worker", "beat"])
def test_celery_services_use_our_app(compose, service):
    command = _command(compose, service)
    assert command[:4] == ["celery", "--app", "pledgewatch", "--quiet"]
    assert command[4] == service
    app = importlib.import_module(command[2]).celery_app
    assert app.main == "pledgewatch"
    if service == "beat":
        assert "poll-feeds" in app.conf.beat_schedule


def test_migrate_service_runs_existing_management_commands(compose):
    script = _command(compose, "migrate")[-1]
    for part in script.split("&&"):
        words = part.split()
        assert words[:2] == ["python", "manage.py"]
        assert words[2] in get_commands(), f"no management command {words[2]}"


def _probe(url: str, allowed_hosts: str) -> subprocess.CompletedProcess[str]:
    """The web service's compose healthcheck, run as Docker runs it (a script, not Django)."""
    script = ROOT / "pledgewatch" / "healthcheck.py"
    env = {"PATH": os.environ.get("PATH", ""), "ALLOWED_HOSTS": allowed_hosts}
    return subprocess.run(
        [sys.executable, str(script), url], env=env, capture_output=True, text=True, timeout=30
    )


def test_web_healthcheck_runs_the_probe_script(compose):
    test = compose["services"]["web"]["healthcheck"]["test"]
    assert test[:2] == ["CMD", "python"] and (ROOT / test[2]).is_file()


@pytest.mark.django_db(transaction=True)
def test_web_healthcheck_follows_healthz(live_server, settings):
    settings.ALLOWED_HOSTS = ["pledgewatch.example.org"]
    settings.CELERY_BROKER_URL = ""
    url = f"{live_server.url}/healthz"
    assert _probe(url, "*,.pledgewatch.example.org").returncode == 0
    # Without the Host that ALLOWED_HOSTS serves, Django answers 400: that is why it is sent.
    refused = _probe(url, "other.example.org")
    assert refused.returncode == 1 and "answered 400" in refused.stderr

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        closed = sock.getsockname()[1]
    settings.CELERY_BROKER_URL = f"redis://127.0.0.1:{closed}/0"
    broker_down = _probe(url, "pledgewatch.example.org")
    assert broker_down.returncode == 1 and "answered 503" in broker_down.stderr
    nobody = _probe(f"http://127.0.0.1:{closed}/healthz", "pledgewatch.example.org")
    assert nobody.returncode == 1 and "did not answer" in nobody.stderr
