"""Celery tasks of the curated data: the bulk downloads' releases (pledges.releases)."""

from __future__ import annotations

from celery import shared_task
from django.conf import settings
from django.db import InterfaceError, OperationalError

from . import releases


@shared_task(
    autoretry_for=(OperationalError, InterfaceError),
    retry_backoff=settings.TASK_RETRY_BACKOFF,
    retry_backoff_max=600,
    retry_jitter=True,
    max_retries=4,
    # Writing the XLSX of a large data set takes longer than an article's limit.
    soft_time_limit=600,
    time_limit=660,
)
def build_data_release() -> str | None:
    """Beat's entry point: a new release when the data changed since the newest one, else
    nothing. The release's id, or None."""
    return releases.build_if_changed().release_id
