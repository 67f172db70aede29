"""What an article says about itself when it fails: the reason, and when it may be
fetched again.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.utils import timezone

from ingest.models import Article

logger = logging.getLogger("ingest")


# How long a failed article waits before it may be fetched again: doubling per attempt from
# TASK_RETRY_BACKOFF, at most this, however often it is submitted meanwhile.
ARTICLE_BACKOFF_MAX = dt.timedelta(hours=6)


def article_backoff(attempts: int) -> dt.timedelta:
    base = dt.timedelta(seconds=settings.TASK_RETRY_BACKOFF)
    return min(base * 2 ** max(attempts - 1, 0), ARTICLE_BACKOFF_MAX)


def out_of_time(seconds: float | None = None) -> str:
    limit = settings.ARTICLE_TIME_LIMIT if seconds is None else seconds
    return (
        f"Stopped after {limit} s, the time allowed for one article "
        "(the page was too slow, or its text too long to read in time)."
    )


# An article queued again this often without finishing is failed rather than retried forever.
MAX_ARTICLE_ATTEMPTS = 10


def article_failed(article_id: int, reason: str) -> None:
    """Mark an article failed: nothing retries it, and a submission fetches it again only
    after its backoff (`retry_after`), which the editor sees with the reason."""
    attempts = Article.objects.filter(pk=article_id).values_list("attempts", flat=True).first()
    retry_after = timezone.now() + article_backoff(attempts or 1)
    Article.objects.filter(pk=article_id).update(
        status=Article.Status.FAILED, error=reason[:2000], retry_after=retry_after
    )
    logger.warning(
        "article %s failed: %s; may be fetched again after %s",
        article_id,
        reason,
        retry_after.isoformat(timespec="seconds"),
    )
