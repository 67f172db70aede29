"""`/healthz`: database, broker and feed freshness for a load balancer, without secrets."""

from __future__ import annotations

import datetime as dt
import socket

import pytest
from django.db import OperationalError, connection
from django.utils import timezone

from ingest.models import Feed
from pledgewatch import health

from .services import redis_url

pytestmark = pytest.mark.django_db


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_healthy_without_a_broker_reports_eager(client, settings):
    settings.CELERY_BROKER_URL = ""
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == {
        "status": "ok",
        "database": "ok",
        "broker": "eager",
        "feeds": {
            "active": 0,
            "failing": 0,
            "last_success_at": None,
            "seconds_since_last_success": None,
        },
    }


def test_reports_the_last_successful_feed_poll(client, settings):
    settings.CELERY_BROKER_URL = ""
    polled = timezone.now() - dt.timedelta(minutes=10)
    Feed.objects.create(url="https://a.example.org/feed", last_success_at=polled)
    Feed.objects.create(
        url="https://b.example.org/feed",
        last_success_at=polled - dt.timedelta(days=1),
        consecutive_failures=3,
        last_error="Timed out",
    )
    Feed.objects.create(url="https://c.example.org/feed", is_active=False)
    feeds = client.get("/healthz").json()["feeds"]
    assert feeds["active"] == 2 and feeds["failing"] == 1
    assert dt.datetime.fromisoformat(feeds["last_success_at"]) == polled
    assert 590 <= feeds["seconds_since_last_success"] <= 700


@pytest.mark.redis
def test_broker_up(client, settings):
    settings.CELERY_BROKER_URL = redis_url()
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["broker"] == "ok"


def test_broker_down_is_503_and_leaks_nothing(client, settings):
    port = closed_port()
    settings.CELERY_BROKER_URL = f"redis://:hunter2-secret@127.0.0.1:{port}/0"
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["database"] == "ok" and body["broker"] == "down"
    text = response.content.decode()
    for secret in ("hunter2", "127.0.0.1", str(port), "redis://"):
        assert secret not in text


def test_database_down_is_503(client, settings, monkeypatch):
    settings.CELERY_BROKER_URL = ""

    def refuse(*args, **kwargs):
        raise OperationalError("connection to server at 10.1.2.3 port 5432 failed")

    monkeypatch.setattr(health.connection, "cursor", refuse)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {
        "status": "unavailable",
        "database": "down",
        "broker": "eager",
        "feeds": None,
    }
    assert b"10.1.2.3" not in response.content


def test_database_without_our_tables_is_503(client, settings):
    """An instance started before `migrate` ran: the database answers, the schema is missing."""
    settings.CELERY_BROKER_URL = ""
    with connection.cursor() as cursor:  # rolled back with the test's transaction
        cursor.execute("ALTER TABLE ingest_feed RENAME TO ingest_feed_elsewhere")
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "not migrated"
    assert response.json()["feeds"] is None


def test_never_cached_and_anonymous(client, settings):
    settings.CELERY_BROKER_URL = ""
    response = client.get("/healthz")
    assert response.status_code == 200
    assert "no-cache" in response["Cache-Control"] and "max-age=0" in response["Cache-Control"]
    assert client.post("/healthz").status_code == 405


def test_cheap(client, settings, django_assert_max_num_queries):
    settings.CELERY_BROKER_URL = ""
    # SELECT 1 with its timeout, then the feeds query, each in its own savepoint.
    with django_assert_max_num_queries(7):
        client.get("/healthz")


def test_not_redirected_to_https(client, settings):
    """A load balancer probes over plain HTTP inside the network."""
    settings.CELERY_BROKER_URL = ""
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/healthz").status_code == 200
    assert client.get("/").status_code == 301
