"""Celery tasks: thin wrappers that take an id, call the service, and say how to retry.

Tasks are acknowledged late (settings), so a worker killed mid-task has the task delivered
again; the services make that second run harmless. A task that meets a network error or a
database that went away retries with backoff; one that runs out of retries, or whose message
the broker lost, is picked up again by `requeue_stalled_articles`.
"""

from __future__ import annotations

import logging

from celery import shared_task
from django.conf import settings
from django.db import InterfaceError, OperationalError

from ingest import services
from ingest.fetch_errors import TransientFetchError

logger = logging.getLogger("ingest")

RETRY = {
    "autoretry_for": (TransientFetchError, OperationalError, InterfaceError),
    "retry_backoff": settings.TASK_RETRY_BACKOFF,
    "retry_backoff_max": 600,
    "retry_jitter": True,
    "max_retries": 4,
}


@shared_task(**RETRY)
def poll_feeds() -> int:
    """Beat's entry point: queue a poll for every active feed that is not backing off."""
    due = services.feeds_due()
    for feed_id in due:
        poll_feed.delay(feed_id)
    return len(due)


@shared_task(**RETRY)
def poll_feed(feed_id: int) -> int:
    return len(services.feed_poll(feed_id))


@shared_task(bind=True, **RETRY)
def fetch_article(self, article_id: int) -> int | None:
    try:
        return services.article_fetch(article_id)
    except TransientFetchError as error:
        if self.request.retries >= self.max_retries:
            services.article_failed(
                article_id, f"Gave up after {self.max_retries} retries: {error}"
            )
            return None
        raise


@shared_task(**RETRY)
def extract_source(source_id: int) -> int:
    return services.source_extract(source_id)


@shared_task(**RETRY)
def requeue_stalled_articles() -> int:
    """Beat's safety net: queue again every article whose work was lost on the way."""
    return len(services.articles_requeue_stalled())
