"""Celery tasks: thin wrappers that take an id, call the service, and say how to retry.

Tasks are acknowledged late (settings), so a worker killed mid-task has the task delivered
again; the services make that second run harmless. A task that meets a network error or a
database that went away retries with backoff; an article that runs out of retries or of time
is failed with the reason, and one whose message the broker lost is picked up again by
`requeue_stalled_articles`.
"""

from __future__ import annotations

import logging

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.db import InterfaceError, OperationalError

from ingest import services
from ingest.models import Article
from ingest.web.errors import TransientFetchError

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
    new = services.feed_poll(feed_id)
    for article_id in new:
        fetch_article.delay(article_id)
    return len(new)


# Transient fetch errors are not retried by autoretry: the service records when the retry
# will come, and fails the article when none will (eager mode, retries used up).
FETCH_RETRY = {**RETRY, "autoretry_for": (OperationalError, InterfaceError)}


@shared_task(bind=True, **FETCH_RETRY)
def fetch_article(self, article_id: int) -> int | None:
    # Eager tasks (no broker) are never retried: their retries would run at once, inline,
    # each waiting for the same slow server again.
    retry = not self.request.is_eager and self.request.retries < self.max_retries
    # A retry, or a message delivered again after its worker died, follows an attempt of this
    # same task that is over, so it may take over the article that attempt left "fetching".
    redelivered = bool((self.request.delivery_info or {}).get("redelivered"))
    try:
        return services.article_fetch(
            article_id,
            retry=retry,
            tries=self.request.retries + 1,
            take_over=self.request.retries > 0 or redelivered,
        )
    except services.FetchDeferred as deferred:
        raise self.retry(exc=deferred.error, countdown=deferred.seconds) from None
    except SoftTimeLimitExceeded:
        services.article_failed(
            article_id, services.out_of_time(settings.CELERY_TASK_SOFT_TIME_LIMIT)
        )
        return None
    except (OperationalError, InterfaceError):
        raise  # the database is away: retried, then beat's sweep queues it again
    except Exception as error:
        # A fault of ours, not of the page: the article says so instead of staying "fetching".
        services.article_failed(
            article_id, f"Pledgewatch failed on this article ({type(error).__name__}); logged."
        )
        raise


@shared_task(**RETRY)
def extract_source(source_id: int) -> int:
    try:
        return services.source_extract(source_id)
    except SoftTimeLimitExceeded:
        services.source_out_of_time(source_id, settings.CELERY_TASK_SOFT_TIME_LIMIT)
        return 0


@shared_task(**RETRY)
def requeue_stalled_articles() -> int:
    """Beat's safety net: queue again every article whose work was lost on the way."""
    stalled = services.articles_requeue_stalled()
    for article_id in stalled:
        fetch_article.delay(article_id)
    return len(stalled)


def submit_article(url: str, *, editor=None) -> Article:
    """An editor's submission (the review pages, the admin): recorded, and its fetch queued
    after commit when it is due. Raises services.SubmissionRefused."""
    submission = services.article_submit(url, editor=editor)
    if submission.due:
        fetch_article.delay_on_commit(submission.article.pk)
    return submission.article
