"""Feed polls: fetch a feed, record its new entries as articles, back off when it fails.

A failing feed records its error and backs off; it never raises, so one bad feed cannot
hold up the others. The caller queues the fetch of each new article.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from ingest.models import Article, Feed
from ingest.services.policy import fetch_policy
from ingest.web.canonical import canonical_url
from ingest.web.errors import FetchError, ParseError
from ingest.web.feeds import parse_feed
from ingest.web.http_client import fetch

logger = logging.getLogger("ingest")


FEED_BACKOFF_BASE = dt.timedelta(minutes=5)
FEED_BACKOFF_MAX = dt.timedelta(hours=12)


def feeds_due(now: dt.datetime | None = None) -> list[int]:
    now = now or timezone.now()
    return list(
        Feed.objects.filter(is_active=True)
        .exclude(retry_after__gt=now)
        .order_by("last_polled_at", "pk")
        .values_list("pk", flat=True)
    )


def feed_poll(feed_id: int) -> list[int]:
    """Fetch one feed and record the entries not seen before (at most FEED_MAX_NEW_ENTRIES,
    newest first) as articles; returns their ids, committed, for the caller to fetch."""
    feed = Feed.objects.filter(pk=feed_id, is_active=True).first()
    if feed is None:
        return []
    now = timezone.now()
    if feed.retry_after and feed.retry_after > now:
        return []
    try:
        result = fetch(
            feed.url,
            fetch_policy(),
            kind="feed",
            etag=feed.etag or None,
            last_modified=feed.last_modified or None,
        )
        parsed = None if result.not_modified else parse_feed(result.body, base_url=result.final_url)
    except (FetchError, ParseError) as error:
        _feed_failed(feed, error, now)
        return []

    urls = _entry_urls(feed, _newest_first(parsed.entries) if parsed else ())
    with transaction.atomic():
        new_articles, waiting = _feed_articles(feed, urls, limit=settings.FEED_MAX_NEW_ENTRIES)
        if not parsed:
            waiting = feed.entries_waiting
        Feed.objects.filter(pk=feed.pk).update(
            title=feed.title or (parsed.title[:300] if parsed else ""),
            # Entries left waiting must be read again, so the next poll may not be a 304.
            etag="" if waiting else result.etag or "",
            last_modified="" if waiting else result.last_modified or "",
            entries_waiting=waiting,
            last_polled_at=now,
            last_success_at=now,
            last_error="",
            consecutive_failures=0,
            retry_after=None,
        )
    logger.info(
        "feed %s polled: %d new articles, %d left for later polls",
        feed.pk,
        len(new_articles),
        waiting,
    )
    return new_articles


def _newest_first(entries) -> list:
    """Dated entries newest first, then the undated in feed order (sorted() is stable)."""
    oldest = dt.datetime.min.replace(tzinfo=dt.UTC)
    return sorted(entries, key=lambda entry: entry.published or oldest, reverse=True)


def _entry_urls(feed: Feed, entries) -> list[str]:
    """The canonical URLs of a feed's entries, each once, in feed order."""
    urls: dict[str, None] = {}
    for entry in entries:
        try:
            urls[canonical_url(entry.url)] = None
        except FetchError as error:
            logger.warning("feed %s: skipping entry %r: %s", feed.pk, entry.url, error)
    return list(urls)


# Entries looked up and inserted per query: well under every database's parameter limit.
FEED_BATCH = 500


def _feed_articles(feed: Feed, urls: list[str], *, limit: int) -> tuple[list[int], int]:
    """Link the feed to an Article for each URL, creating at most `limit` not seen before
    (the first ones: newest); returns the new Articles' ids and how many new URLs were left
    for later polls. A few queries per batch of entries rather than a few per entry."""
    feed_article = Article.feeds.through
    new_articles: list[int] = []
    left = 0
    for start in range(0, len(urls), FEED_BATCH):
        batch = urls[start : start + FEED_BATCH]
        known = set(Article.objects.filter(url__in=batch).values_list("url", flat=True))
        unseen = [url for url in batch if url not in known]
        room = max(limit - len(new_articles), 0)
        taken, skipped = unseen[:room], unseen[room:]
        left += len(skipped)
        if skipped:
            kept = known.union(taken)
            batch = [url for url in batch if url in kept]
        # A concurrent poll may insert the same URLs first: theirs stand, and both polls
        # queue a fetch, of which the article's claim lets one run.
        Article.objects.bulk_create([Article(url=url) for url in taken], ignore_conflicts=True)
        ids = dict(Article.objects.filter(url__in=batch).values_list("url", "pk"))
        feed_article.objects.bulk_create(
            [feed_article(article_id=ids[url], feed_id=feed.pk) for url in batch],
            ignore_conflicts=True,
        )
        new_articles += [ids[url] for url in taken]
    return new_articles, left


def _feed_failed(feed: Feed, error: Exception, now: dt.datetime) -> None:
    failures = feed.consecutive_failures + 1
    backoff = min(FEED_BACKOFF_BASE * 2 ** (failures - 1), FEED_BACKOFF_MAX)
    retry_after = getattr(error, "retry_after", None)
    if retry_after:
        backoff = max(backoff, dt.timedelta(seconds=min(retry_after, 86_400)))
    Feed.objects.filter(pk=feed.pk).update(
        last_polled_at=now,
        last_error=str(error)[:2000],
        consecutive_failures=failures,
        retry_after=now + backoff,
    )
    logger.warning("feed %s (%s) failed: %s; next try after %s", feed.pk, feed.url, error, backoff)
