"""The fetch limits, from the settings."""

from __future__ import annotations

from django.conf import settings

from ingest.web.http_client import FetchPolicy


def fetch_policy() -> FetchPolicy:
    return FetchPolicy(
        connect_timeout=settings.FETCH_CONNECT_TIMEOUT,
        read_timeout=settings.FETCH_READ_TIMEOUT,
        total_deadline=settings.FETCH_TOTAL_DEADLINE,
        max_bytes=settings.FETCH_MAX_BYTES,
        allowed_hosts=frozenset(settings.FETCH_ALLOWED_HOSTS),
    )
