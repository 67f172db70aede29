"""Structured logs: one JSON object per line with the request id, or the Celery task id."""

from __future__ import annotations

import io
import json
import logging
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
import redis
import yaml
from django.test import Client

from ingest import tasks
from ingest.models import Feed
from pledgewatch import health
from pledgewatch.logging import ContextFilter, JsonFormatter

from .services import redis_url

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def json_lines():
    """What the root logger writes through the production formatter, as parsed lines."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(ContextFilter())
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    level = root.level
    root.addHandler(handler)
    root.setLevel(logging.INFO)

    def lines() -> list[dict]:
        return [json.loads(line) for line in stream.getvalue().splitlines()]

    yield lines
    root.removeHandler(handler)
    root.setLevel(level)


@pytest.mark.django_db
def test_request_log_line_carries_the_callers_request_id(client, json_lines):
    response = client.get("/no-such-page/", headers={"X-Request-ID": "lb-7f3a.91"})
    assert response.status_code == 404
    assert response["X-Request-ID"] == "lb-7f3a.91"
    lines = [line for line in json_lines() if line.get("request_id") == "lb-7f3a.91"]
    access = next(line for line in lines if line["logger"] == "pledgewatch.requests")
    assert access["method"] == "GET" and access["path"] == "/no-such-page/"
    assert access["status"] == 404 and access["duration_ms"] >= 0
    assert access["level"] == "INFO" and access["time"].endswith("+00:00")


@pytest.mark.django_db
def test_a_server_error_is_logged_with_its_request_id(json_lines, monkeypatch):
    def broken():
        raise RuntimeError("feeds table on fire")

    monkeypatch.setattr(health, "feeds_state", broken)
    client = Client(raise_request_exception=False)
    response = client.get("/healthz", headers={"X-Request-ID": "req-500"})
    assert response.status_code == 500
    (error,) = [line for line in json_lines() if line["logger"] == "django.request"]
    assert error["request_id"] == "req-500" and error["level"] == "ERROR"
    assert "RuntimeError: feeds table on fire" in error["exception"]


@pytest.mark.django_db
@pytest.mark.parametrize("given", ["", "two words", "x" * 200, 'a"b', "line\nbreak"])
def test_unusable_request_ids_are_replaced(client, json_lines, given):
    response = client.get("/healthz", headers={"X-Request-ID": given} if given else {})
    made = response["X-Request-ID"]
    assert made != given and len(made) == 32
    assert any(line.get("request_id") == made for line in json_lines())


@pytest.mark.django_db
def test_request_id_does_not_leak_into_the_next_request(client, json_lines):
    client.get("/healthz", headers={"X-Request-ID": "first"})
    logging.getLogger("ingest").info("between requests")
    between = next(line for line in json_lines() if line["message"] == "between requests")
    assert "request_id" not in between


def test_task_log_lines_carry_the_task_id_and_name(seeded, stub_server, settings, json_lines):
    settings.FETCH_ALLOWED_HOSTS = ["127.0.0.1"]
    feed = Feed.objects.create(url=stub_server.url("/feeds/malformed.xml"))
    result = tasks.poll_feed.apply(args=(feed.pk,))
    lines = [line for line in json_lines() if line.get("task_id") == result.id]
    assert lines, json_lines()
    assert all(line["task_name"] == "ingest.tasks.poll_feed" for line in lines)
    assert any(f"feed {feed.pk}" in line["message"] for line in lines)
    logging.getLogger("ingest").info("after the task")
    after = next(line for line in json_lines() if line["message"] == "after the task")
    assert "task_id" not in after


def test_exceptions_are_one_json_line(json_lines):
    try:
        raise ValueError("bad value")
    except ValueError:
        logging.getLogger("ingest").exception("it broke")
    (line,) = [line for line in json_lines() if line["message"] == "it broke"]
    assert line["level"] == "ERROR"
    assert "ValueError: bad value" in line["exception"]


def log_once(**env: str) -> list[str]:
    code = (
        "import django, logging; django.setup(); "
        "logging.getLogger('ingest').warning('hello %s', 'world')"
    )
    environment = {
        **{k: v for k, v in os.environ.items() if k not in {"LOG_FORMAT", "DEBUG"}},
        "DJANGO_SETTINGS_MODULE": "pledgewatch.settings",
        "SECRET_KEY": "test-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
        "ALLOWED_HOSTS": "example.org",
        **env,
    }
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=environment, capture_output=True,
        text=True, timeout=60, check=True,
    )  # fmt: skip
    # The last line is ours; any before it (django-axes says hello) are in the same format.
    return done.stderr.strip().splitlines()


def test_production_logs_json_and_debug_logs_plain_text():
    lines = [json.loads(line) for line in log_once(DEBUG="false")]
    assert lines[-1]["message"] == "hello world" and lines[-1]["logger"] == "ingest"
    assert lines[-1]["level"] == "WARNING"
    assert log_once(DEBUG="true")[-1].endswith("WARNING ingest hello world")
    assert json.loads(log_once(DEBUG="true", LOG_FORMAT="json")[-1])["message"] == "hello world"


def test_gunicorn_logs_json_lines_too(tmp_path):
    """The web service as the image runs it (gunicorn.conf.py from the working directory):
    gunicorn's own start-up lines and each request are JSON, and nothing else is printed."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    environment = {
        **{k: v for k, v in os.environ.items() if k not in {"LOG_FORMAT", "DEBUG"}},
        "DJANGO_SETTINGS_MODULE": "pledgewatch.settings",
        "DEBUG": "false",
        "SECRET_KEY": "test-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "CELERY_BROKER_URL": "",
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "WEB_CONCURRENCY": "1",
        "STATIC_ROOT": str(tmp_path),
    }
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput"],
        cwd=ROOT, env=environment, capture_output=True, timeout=120, check=True,
    )  # fmt: skip
    log = tmp_path / "gunicorn.log"
    with open(log, "wb") as output:
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "pledgewatch.wsgi:application"],
            cwd=ROOT, env=environment, stdout=output, stderr=subprocess.STDOUT,
        )  # fmt: skip
    try:
        status = None
        for _ in range(100):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5) as r:
                    status = r.status
                break
            except OSError:
                time.sleep(0.1)
        assert status == 200
    finally:
        server.terminate()
        server.wait(30)
    lines = [json.loads(line) for line in log.read_text().splitlines()]
    messages = [line["message"] for line in lines]
    assert any(m.startswith("Listening at: http://127.0.0.1") for m in messages)
    assert any(line["logger"] == "gunicorn.error" for line in lines)
    (request,) = [line for line in lines if line["logger"] == "pledgewatch.requests"]
    assert request["message"] == "GET /healthz 200" and request["request_id"]


@pytest.mark.redis
def test_celery_worker_and_beat_log_json_lines_only(tmp_path):
    """The compose file's own worker and beat commands, with production settings: start-up,
    readiness and the beat schedule are JSON lines, with no banner around them."""
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())["services"]
    broker = redis_url()
    redis.Redis.from_url(broker).flushdb()
    environment = {
        **{k: v for k, v in os.environ.items() if k not in {"LOG_FORMAT", "DEBUG"}},
        "DJANGO_SETTINGS_MODULE": "pledgewatch.settings",
        "DEBUG": "false",
        "SECRET_KEY": "test-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
        "ALLOWED_HOSTS": "example.org",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "CELERY_BROKER_URL": broker,
        "PYTHONUNBUFFERED": "1",
    }
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput"],
        cwd=ROOT, env=environment, capture_output=True, timeout=120, check=True,
    )  # fmt: skip
    ready = {"worker": "ready.", "beat": "beat: Starting..."}
    for service, marker in ready.items():
        command = [
            str(tmp_path / "schedule") if word == "/tmp/celerybeat-schedule" else word
            for word in compose[service]["command"]
        ]
        log = tmp_path / f"{service}.log"
        with open(log, "wb") as output:
            process = subprocess.Popen(
                [sys.executable, "-m", *command], cwd=ROOT, env=environment, stdout=output,
                stderr=subprocess.STDOUT, start_new_session=True,
            )  # fmt: skip
        try:
            deadline = time.monotonic() + 60
            while marker not in log.read_text() and time.monotonic() < deadline:
                assert process.poll() is None, log.read_text()
                time.sleep(0.2)
            # Read before stopping: Celery prints "worker: Warm shutdown" itself, as text.
            text = log.read_text()
        finally:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(30)
        lines = [json.loads(line) for line in text.splitlines()]  # fails on any text line
        assert any(line["message"].endswith(marker) for line in lines), text
        if service == "worker":
            (setup,) = [line for line in lines if line["logger"] == "pledgewatch.celery"]
            assert setup["concurrency"] == 2 and setup["queues"] == ["celery"]
