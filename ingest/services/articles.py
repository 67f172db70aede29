"""Articles: an editor's submission, one fetch at a time per article, its source stored and
extracted in one task, and the states it passes through.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import NamedTuple

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from ingest import storage
from ingest.extractor.budget import OutOfTime, time_limit
from ingest.gazetteers import known_names
from ingest.models import Article
from ingest.near_duplicates import recent_fingerprints
from ingest.services.article_states import (
    MAX_ARTICLE_ATTEMPTS,
    article_backoff,
    article_failed,
    out_of_time,
)
from ingest.services.extraction import extraction_rows, extractor, source_extract, store_extraction
from ingest.services.policy import fetch_policy
from ingest.services.sources import source_for
from ingest.web.canonical import canonical_url, minhash_signature
from ingest.web.errors import FetchError, ParseError, TransientFetchError
from ingest.web.http_client import fetch
from ingest.web.pages import ParsedArticle, parse_article
from pledges.models import Source, content_hash

logger = logging.getLogger("ingest")


class SubmissionRefused(Exception):
    """An editor's URL cannot be ingested; the message says why."""


class FetchDeferred(Exception):
    """The fetch met a transient error and the article waits for a retry in `seconds`."""

    def __init__(self, error: TransientFetchError, seconds: float) -> None:
        super().__init__(str(error))
        self.error = error
        self.seconds = seconds


# A retry between attempts of one task waits at most this (Celery's retry_backoff_max).
RETRY_DELAY_MAX = dt.timedelta(minutes=10)


class Submission(NamedTuple):
    article: Article
    due: bool  # new, or failed and past its backoff: the caller queues or runs its fetch


def article_submit(url: str, *, editor=None) -> Submission:
    """Record one article address an editor submitted; it is due for a fetch when it is new
    or failed and past its backoff.

    Submitting a failed article again before its `retry_after` changes nothing: the editor
    sees when it will be tried, and a URL submitted twenty times at once is due once.
    """
    try:
        canonical = canonical_url(url)
    except FetchError as error:
        raise SubmissionRefused(str(error)) from error
    with transaction.atomic():
        article, created = Article.objects.get_or_create(
            url=canonical, defaults={"submitted_by": editor}
        )
        due = created or bool(
            Article.objects.filter(pk=article.pk, status=Article.Status.FAILED)
            .exclude(retry_after__gt=timezone.now())
            .update(status=Article.Status.QUEUED, error="", retry_after=None)
        )
    article.refresh_from_db()
    return Submission(article, due)


def article_fetch(
    article_id: int, *, retry: bool = False, tries: int = 1, take_over: bool = False
) -> int | None:
    """Fetch one article, store it as a Source and extract it; returns the Source id.

    One task does all three: hops through the broker between them would cost more than the
    work. The whole of it runs within ARTICLE_TIME_LIMIT, with or without a broker. A
    transient network error raises FetchDeferred when `retry` (a worker will run the task
    again); otherwise, and for every permanent error, the article is failed with the reason
    and the time it may be fetched again. `take_over`: the caller knows the attempt that left
    the article "fetching" is over (it is that attempt's retry or redelivery).
    """
    claimed = storage.claim_article(article_id, take_over=take_over)
    if claimed is None:
        article = Article.objects.filter(pk=article_id).only("status", "source_id").first()
        if article is None or article.status == Article.Status.DONE or not article.source_id:
            return None
        # Stored by an earlier run that stopped before its extraction was saved.
        source_extract(article.source_id)
        return article.source_id
    url, attempts = claimed
    try:
        with time_limit(settings.ARTICLE_TIME_LIMIT):
            url, parsed = _fetch_page(url)
            return _store_and_extract(article_id, url, parsed).pk
    except TransientFetchError as error:
        if not retry:
            after = f" (after {tries} tries)" if tries > 1 else ""
            article_failed(article_id, f"{error}{after}")
            return None
        delay = _retry_delay(attempts, error)
        Article.objects.filter(pk=article_id).update(
            status=Article.Status.QUEUED,
            error=f"Will retry: {error}",
            retry_after=timezone.now() + delay,
        )
        raise FetchDeferred(error, delay.total_seconds()) from error
    except (FetchError, ParseError) as error:
        article_failed(article_id, str(error))
    except OutOfTime:
        article_failed(article_id, out_of_time())
    return None


def _retry_delay(attempts: int, error: TransientFetchError) -> dt.timedelta:
    delay = min(article_backoff(attempts), RETRY_DELAY_MAX)
    asked = getattr(error, "retry_after", None)
    if asked:
        delay = max(delay, dt.timedelta(seconds=min(asked, RETRY_DELAY_MAX.total_seconds())))
    return delay


def _fetch_page(url: str) -> tuple[str, ParsedArticle]:
    """The article's canonical final URL (after redirects) and its parsed text."""
    result = fetch(url, fetch_policy(), kind="article")
    parsed = parse_article(
        result.body,
        content_type=result.content_type or "",
        charset=result.charset,
        url=result.final_url,
    )
    return canonical_url(result.final_url), parsed


def _store_and_extract(article_id: int, url: str, parsed: ParsedArticle) -> Source:
    """Store the article's source, and its quotes and candidates when it is a new original,
    in one transaction. Everything that can be is done before it: the signature, the
    extraction, the near-duplicate look-up and the rows to insert, so that other writers
    wait on little more than the inserts (SQLite locks the whole database for a
    transaction)."""
    fingerprint = minhash_signature(parsed.text)
    digest = content_hash(parsed.text)
    names = known_names()
    extraction = extractor().extract(parsed.text, names.gazetteer)

    def store() -> tuple[Source, bool]:
        duplicate_of = recent_fingerprints.original_of(fingerprint)
        rows = None if duplicate_of else extraction_rows(extraction, names, parsed.published)
        with transaction.atomic():
            source, created = source_for(
                url,
                parsed,
                fingerprint,
                digest=digest,
                duplicate_of=duplicate_of,
                extracted_at=timezone.now(),
            )
            if created and rows is not None:
                store_extraction(source, rows, quote_ids={})
            storage.link_article(article_id, source.pk, done=created)
        return source, created

    try:
        source, created = store()
    except IntegrityError:
        # Another worker stored the same URL between our look-up and our insert (PostgreSQL;
        # SQLite's write lock serialises the two). Its source stands: look again.
        source, created = store()
    if not created:
        # Stored before under this URL or text: extracted then, or now.
        source_extract(source.pk)
    return source


def articles_requeue_stalled(now: dt.datetime | None = None) -> list[int]:
    """The articles to fetch again: those that stopped short of done or failed. Fails those
    tried too often.

    Their task was lost (a broker restarted without its queue, a worker gave up while the
    database was away); running it twice is harmless, so this errs on the side of running.
    """
    cutoff = (now or timezone.now()) - settings.ARTICLE_STALLED_AFTER
    unfinished = Article.objects.filter(
        status__in=[Article.Status.QUEUED, Article.Status.FETCHING, Article.Status.EXTRACTING],
        created_at__lt=cutoff,
    )
    for article_id in unfinished.filter(attempts__gte=MAX_ARTICLE_ATTEMPTS).values_list(
        "pk", flat=True
    ):
        article_failed(article_id, f"Gave up after {MAX_ARTICLE_ATTEMPTS} attempts.")
    stalled = list(
        unfinished.filter(attempts__lt=MAX_ARTICLE_ATTEMPTS).values_list("pk", flat=True)
    )
    if stalled:
        logger.warning("%d stalled articles to queue again", len(stalled))
    return stalled
