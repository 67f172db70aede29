"""`/healthz`: is this instance able to serve, for a load balancer or a monitor.

It checks the database (SELECT 1 with a short timeout) and the broker (a Redis PING), and
reports when a feed was last polled successfully. 200 when the database and the broker
answer, 503 when either does not. The body names no host, port, user or password.
"""

from __future__ import annotations

import logging
from functools import cache

import redis
from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.db.models import Count, Max, Q
from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from ingest.models import Feed

logger = logging.getLogger("pledgewatch.health")

# Seconds: a load balancer's probe must get an answer well inside its own timeout.
CHECK_TIMEOUT = 2


def database_ok() -> bool:
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute("SET LOCAL statement_timeout = %s", [CHECK_TIMEOUT * 1000])
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as error:
        logger.warning("health: database unavailable: %s", type(error).__name__)
        return False
    return True


@cache
def _broker_client(url: str) -> redis.Redis:
    return redis.Redis.from_url(
        url, socket_connect_timeout=CHECK_TIMEOUT, socket_timeout=CHECK_TIMEOUT
    )


def broker_state() -> str:
    """The broker: ok, down, or eager when none is configured (tasks run in-process)."""
    url = settings.CELERY_BROKER_URL
    if not url:
        return "eager"
    try:
        _broker_client(url).ping()
    except (redis.RedisError, OSError) as error:
        logger.warning("health: broker unavailable: %s", type(error).__name__)
        return "down"
    return "ok"


def feeds_state() -> dict[str, object]:
    found = Feed.objects.filter(is_active=True).aggregate(
        active=Count("pk"),
        failing=Count("pk", filter=Q(consecutive_failures__gt=0)),
        last_success_at=Max("last_success_at"),
    )
    last = found["last_success_at"]
    return {
        "active": found["active"],
        "failing": found["failing"],
        "last_success_at": last.isoformat() if last else None,
        "seconds_since_last_success": round((timezone.now() - last).total_seconds())
        if last
        else None,
    }


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    database = "ok" if database_ok() else "down"
    feeds = None
    if database == "ok":
        try:
            with transaction.atomic():  # a failure here must not spoil the check below
                feeds = feeds_state()
        except DatabaseError as error:
            # Still answering, it lacks our tables: an instance started before `migrate`.
            database = "not migrated" if database_ok() else "down"
            logger.warning("health: database %s: %s", database, type(error).__name__)
    broker = broker_state()
    healthy = database == "ok" and broker != "down"
    body: dict[str, object] = {
        "status": "ok" if healthy else "unavailable",
        "database": database,
        "broker": broker,
        "feeds": feeds,
    }
    return JsonResponse(body, status=200 if healthy else 503)
