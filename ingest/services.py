"""Writes of the ingestion pipeline: feed polls, article fetches, extraction, review.

Each step re-reads its input by id, does nothing when its work is already done, and lets
database constraints settle races, so any step can run twice (a redelivered Celery task, two
workers, an editor double-clicking) with no second effect. Steps enqueue the next one only
after their transaction commits.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from ingest.articles import ParsedArticle, parse_article
from ingest.canonical import canonical_url, minhash_signature
from ingest.extractor import Extraction, Extractor, load_backend
from ingest.extractor.budget import OutOfTime, time_limit
from ingest.feeds import parse_feed
from ingest.fetch_errors import FetchError, TransientFetchError
from ingest.gazetteers import KnownNames, known_names
from ingest.http_client import FetchPolicy, fetch
from ingest.inserts import insert_with_history
from ingest.models import Article, Candidate, Feed
from ingest.near_duplicates import recent_fingerprints
from ingest.parse_errors import ParseError
from pledges.models import (
    Condition,
    Formality,
    Nation,
    Pledge,
    PledgeType,
    Quote,
    Source,
    Stance,
    content_hash,
)

logger = logging.getLogger("ingest")

FEED_BACKOFF_BASE = dt.timedelta(minutes=5)
FEED_BACKOFF_MAX = dt.timedelta(hours=12)


def fetch_policy() -> FetchPolicy:
    return FetchPolicy(
        connect_timeout=settings.FETCH_CONNECT_TIMEOUT,
        read_timeout=settings.FETCH_READ_TIMEOUT,
        total_deadline=settings.FETCH_TOTAL_DEADLINE,
        max_bytes=settings.FETCH_MAX_BYTES,
        allowed_hosts=frozenset(settings.FETCH_ALLOWED_HOSTS),
    )


@cache
def extractor() -> Extractor:
    return load_backend(settings.PLEDGE_EXTRACTOR)


# --- Feeds ---------------------------------------------------------------------------------


def feeds_due(now: dt.datetime | None = None) -> list[int]:
    now = now or timezone.now()
    return list(
        Feed.objects.filter(is_active=True)
        .exclude(retry_after__gt=now)
        .order_by("last_polled_at", "pk")
        .values_list("pk", flat=True)
    )


def feed_poll(feed_id: int) -> list[int]:
    """Fetch one feed and queue every entry not seen before; returns the new Article ids.

    A failing feed records its error and backs off; it never raises, so one bad feed
    cannot hold up the others.
    """
    from ingest import tasks

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
        for article_id in new_articles:
            tasks.fetch_article.delay_on_commit(article_id)
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
        # queue a fetch, which is harmless.
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


# --- Articles ------------------------------------------------------------------------------


class SubmissionRefused(Exception):
    """An editor's URL cannot be ingested; the message says why."""


class FetchDeferred(Exception):
    """The fetch met a transient error and the article waits for a retry in `seconds`."""

    def __init__(self, error: TransientFetchError, seconds: float) -> None:
        super().__init__(str(error))
        self.error = error
        self.seconds = seconds


# How long a failed article waits before it may be fetched again: doubling per attempt from
# TASK_RETRY_BACKOFF, at most this, however often it is submitted meanwhile.
ARTICLE_BACKOFF_MAX = dt.timedelta(hours=6)
# A retry between attempts of one task waits at most this (Celery's retry_backoff_max).
RETRY_DELAY_MAX = dt.timedelta(minutes=10)


def article_backoff(attempts: int) -> dt.timedelta:
    base = dt.timedelta(seconds=settings.TASK_RETRY_BACKOFF)
    return min(base * 2 ** max(attempts - 1, 0), ARTICLE_BACKOFF_MAX)


def article_submit(url: str, *, editor=None, queue: bool = True) -> Article:
    """Record one article address an editor submitted, and queue its fetch when it is new or
    failed and past its backoff. With queue=False the caller fetches it itself.

    Submitting a failed article again before its `retry_after` changes nothing: the editor
    sees when it will be tried, and a URL submitted twenty times at once is fetched once.
    """
    from ingest import tasks

    try:
        canonical = canonical_url(url)
    except FetchError as error:
        raise SubmissionRefused(str(error)) from error
    with transaction.atomic():
        article, created = Article.objects.get_or_create(
            url=canonical, defaults={"submitted_by": editor}
        )
        due = created or (
            Article.objects.filter(pk=article.pk, status=Article.Status.FAILED)
            .exclude(retry_after__gt=timezone.now())
            .update(status=Article.Status.QUEUED, error="", retry_after=None)
        )
        if due and queue:
            tasks.fetch_article.delay_on_commit(article.pk)
    article.refresh_from_db()
    return article


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
    claimed = _start_fetching(article_id, take_over=take_over)
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


def out_of_time(seconds: float | None = None) -> str:
    limit = settings.ARTICLE_TIME_LIMIT if seconds is None else seconds
    return (
        f"Stopped after {limit} s, the time allowed for one article "
        "(the page was too slow, or its text too long to read in time)."
    )


@cache
def _start_fetching_sql() -> str:
    table = connection.ops.quote_name(Article._meta.db_table)
    return (
        f"UPDATE {table} SET status = %s, attempts = attempts + 1, "  # noqa: S608
        "updated_at = %s, retry_after = NULL "
        "WHERE id = %s AND source_id IS NULL AND ("
        "(status = %s AND (retry_after IS NULL OR retry_after <= %s))"
        " OR (status = %s AND updated_at < %s)"
        ") RETURNING url, attempts"
    )


def _start_fetching(article_id: int, *, take_over: bool = False) -> tuple[str, int] | None:
    """Claim an article for fetching and count the attempt: its URL and attempts, or None
    when it is missing, stored, failed, waiting for its retry, or being fetched by a live
    attempt. An attempt older than the task's hard time limit is dead and may be taken over.
    One statement where a read and a write were two round trips."""
    now = timezone.now()
    dead_before = now if take_over else now - dt.timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT)
    with connection.cursor() as cursor:
        cursor.execute(
            _start_fetching_sql(),
            [
                Article.Status.FETCHING,
                now,
                article_id,
                Article.Status.QUEUED,
                now,
                Article.Status.FETCHING,
                dead_before,
            ],
        )
        row = cursor.fetchone()
    return (row[0], row[1]) if row else None


@cache
def _link_article_sql() -> str:
    table = connection.ops.quote_name(Article._meta.db_table)
    return f"UPDATE {table} SET source_id = %s, status = %s, error = '' WHERE id = %s"  # noqa: S608


def _link_article(article_id: int, source_id: int, *, done: bool) -> None:
    """Point the article at its source: done, or extracting when the source was stored
    before. Plain SQL, as in _start_fetching: the ORM took longer to build the update than
    the database to run it."""
    status = Article.Status.DONE if done else Article.Status.EXTRACTING
    with connection.cursor() as cursor:
        cursor.execute(_link_article_sql(), [source_id, status, article_id])


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
        rows = None if duplicate_of else _extraction_rows(extraction, names, parsed.published)
        with transaction.atomic():
            source, created = _source_for(
                url,
                parsed,
                fingerprint,
                digest=digest,
                duplicate_of=duplicate_of,
                extracted_at=timezone.now(),
            )
            if created and rows is not None:
                _store_extraction(source, rows, quote_ids={})
            _link_article(article_id, source.pk, done=created)
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


# An article queued again this often without finishing is failed rather than retried forever.
MAX_ARTICLE_ATTEMPTS = 10


def articles_requeue_stalled(now: dt.datetime | None = None) -> list[int]:
    """Queue fetch_article again for articles that stopped short of done or failed.

    Their task was lost (a broker restarted without its queue, a worker gave up while the
    database was away); running it twice is harmless, so this errs on the side of running.
    """
    from ingest import tasks

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
    for article_id in stalled:
        tasks.fetch_article.delay(article_id)
    if stalled:
        logger.warning("queued %d stalled articles again", len(stalled))
    return stalled


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


def source_store(url: str, parsed: ParsedArticle) -> Source:
    """The Source for this text: an existing one with the same URL or the same text, or a new
    one, marked as a corroboration when it is wire copy republished from another outlet."""
    try:
        with transaction.atomic():
            fingerprint = minhash_signature(parsed.text)
            return _source_for(
                url,
                parsed,
                fingerprint,
                digest=content_hash(parsed.text),
                duplicate_of=recent_fingerprints.original_of(fingerprint),
            )[0]
    except IntegrityError:
        # Another worker stored the same URL first.
        return Source.objects.get(url=url)


def _source_for(
    url: str,
    parsed: ParsedArticle,
    fingerprint: list[int],
    *,
    digest: str,
    duplicate_of: Source | None,
    extracted_at: dt.datetime | None = None,
) -> tuple[Source, bool]:
    """`source_store`'s Source, and whether it is new: a copy of `duplicate_of` when that is
    given. Raises IntegrityError when another worker stores the same URL first; the
    transaction is then spoilt (no savepoint: two more round trips per article), and the
    caller starts it again."""
    existing = _stored_source(url, digest)
    if existing:
        return existing, False
    source = Source(
        url=url,
        title=(parsed.title or "")[:500],
        outlet=(parsed.outlet or "")[:200],
        published_on=parsed.published,
        text=parsed.text,
        content_hash=digest,
        fingerprint=fingerprint,
        duplicate_of=duplicate_of,
        extracted_at=extracted_at,
    )
    # The same rows as save() writes, for less work, with the content hash computed before
    # the transaction.
    insert_with_history([source])
    if source.duplicate_of_id:
        _corroborate(source)
    return source, True


def _stored_source(url: str, digest: str) -> Source | None:
    """The source stored under this URL, else the oldest with this text. The look-up, which
    finds nothing for almost every article, is plain SQL: the ORM's query cost several
    times more to build than to run, inside the write transaction."""
    with connection.cursor() as cursor:
        cursor.execute(_stored_source_sql(), [url, digest])
        matches = cursor.fetchall()
    if not matches:
        return None
    pk = min(matches, key=lambda match: (match[1] != url, match[0]))[0]
    return Source.objects.get(pk=pk)


@cache
def _stored_source_sql() -> str:
    table = connection.ops.quote_name(Source._meta.db_table)
    return f"SELECT id, url FROM {table} WHERE url = %s OR content_hash = %s"  # noqa: S608


def _corroborate(source: Source) -> None:
    """A republished story backs the pledges its original already supports."""
    for pledge in Pledge.objects.filter(sources=source.duplicate_of_id):
        pledge.sources.add(source)


# --- Extraction ----------------------------------------------------------------------------


def source_extract(source_id: int) -> int:
    """Store the quotes and candidates the extractor finds in one source; returns how many
    candidates were created (0 when the source was extracted before)."""
    try:
        with time_limit(settings.ARTICLE_TIME_LIMIT), transaction.atomic():
            source = Source.objects.select_for_update().filter(pk=source_id).first()
            if source is None:
                return 0
            created = 0
            if source.extracted_at is None:
                if source.duplicate_of_id is None:
                    names = known_names()
                    extraction = extractor().extract(source.text, names.gazetteer)
                    quote_ids = dict(source.quotes.order_by().values_list("text_hash", "pk"))
                    rows = _extraction_rows(extraction, names, source.published_on)
                    created = _store_extraction(source, rows, quote_ids=quote_ids)
                Source.objects.filter(pk=source.pk).update(extracted_at=timezone.now())
            Article.objects.filter(source=source).exclude(status=Article.Status.DONE).update(
                status=Article.Status.DONE, error=""
            )
    except OutOfTime:
        source_out_of_time(source_id)
        return 0
    logger.info("source %s extracted: %d candidates", source_id, created)
    return created


def source_out_of_time(source_id: int, seconds: float | None = None) -> None:
    """The source stays stored and unextracted; its articles say why."""
    for article_id in Article.objects.filter(source_id=source_id).values_list("pk", flat=True):
        article_failed(article_id, out_of_time(seconds))


@dataclass
class _ExtractionRows:
    """The Quote and Candidate rows of one extraction, built before the transaction that
    inserts them; it only fills in their source and the candidates' quotes."""

    quotes: dict[str, Quote]  # by text hash
    candidates: list[tuple[Candidate, str | None]]  # with their quote's text hash


def _extraction_rows(
    extraction: Extraction, names: KnownNames, said_on: dt.date | None
) -> _ExtractionRows:
    quotes: dict[str, Quote] = {}
    for found in extraction.quotes:
        text_hash = Quote.hash_text(found.text)
        if text_hash in quotes:
            continue
        leader_id, leader_nation_id = names.leaders.get(found.leader or "", (None, None))
        quotes[text_hash] = Quote(
            text=found.text,
            text_hash=text_hash,
            leader_id=leader_id,
            speaker_role="" if leader_id else (found.speaker or "an unnamed speaker")[:160],
            nation_id=names.nation_ids.get(found.nation_iso2 or "") or leader_nation_id,
            said_on=said_on,
            reviewed=False,
        )
    candidates = [
        (
            Candidate(
                nation_id=names.nation_ids[found.nation],
                pledge_type_id=names.pledge_type_ids[found.type],
                stance=found.stance,
                confidence=max(0.0, min(1.0, found.confidence)),
                evidence=found.evidence,
                evidence_start=found.evidence_start,
                evidence_end=found.evidence_end,
                conditions=list(found.conditions),
                speaker=(found.speaker or "")[:200],
                leader_id=names.leaders.get(found.leader or "", (None, None))[0],
            ),
            Quote.hash_text(found.quote) if found.quote else None,
        )
        for found in extraction.candidates
        if found.nation in names.nation_ids and found.type in names.pledge_type_ids
    ]
    return _ExtractionRows(quotes=quotes, candidates=candidates)


def _store_extraction(source: Source, rows: _ExtractionRows, *, quote_ids: dict[str, int]) -> int:
    # The source is not yet extracted and either new in this transaction or row-locked by the
    # caller, so nothing here can already exist except quotes an editor curated by hand
    # (`quote_ids`, by text hash); the unique constraints are the last word if that ever
    # changes. Bulk inserts, with their history rows.
    quotes = [quote for text_hash, quote in rows.quotes.items() if text_hash not in quote_ids]
    if quotes:
        for quote in quotes:
            quote.source = source
        created = insert_with_history(quotes)
        quote_ids = {**quote_ids, **{quote.text_hash: quote.pk for quote in created}}
    candidates = []
    for candidate, quote_hash in rows.candidates:
        candidate.source = source
        candidate.quote_id = quote_ids.get(quote_hash) if quote_hash else None
        candidates.append(candidate)
    if candidates:
        insert_with_history(candidates)
    return len(candidates)


def source_from_file(path: Path) -> Source:
    """Store a saved HTML or text file as a Source, keyed by its file name."""
    body = path.read_bytes()
    is_html = path.suffix.lower() in {".html", ".htm", ".xhtml"}
    url = f"file:{path.name}"
    parsed = parse_article(
        body,
        content_type="text/html" if is_html else "text/plain",
        charset=None,
        url=url,
    )
    with transaction.atomic():
        return source_store(url, parsed)


# --- Review --------------------------------------------------------------------------------


class AlreadyDecided(Exception):
    """Another editor decided this candidate first."""


@dataclass(frozen=True)
class Correction:
    """What an editor changed before accepting; None keeps the extractor's value."""

    nation: Nation | None = None
    pledge_type: PledgeType | None = None
    stance: str | None = None
    formality: str | None = None
    conditions: tuple[str, ...] | None = None
    announced_on: dt.date | None = None


def candidate_accept(candidate_id: int, *, editor, correction: Correction | None = None) -> Pledge:
    """Turn a pending candidate into a Pledge with its source and quote as evidence."""
    correction = correction or Correction()
    with transaction.atomic():
        candidate = _claim(candidate_id)
        source = candidate.source
        stance = correction.stance or candidate.stance
        pledge, _ = Pledge.objects.get_or_create(
            nation=correction.nation or candidate.nation,
            pledge_type=correction.pledge_type or candidate.pledge_type,
            announced_on=correction.announced_on or source.published_on or timezone.localdate(),
            stance=stance,
            defaults={
                "formality": correction.formality or Formality.STATEMENT,
                "leader": candidate.leader,
                "summary": candidate.evidence,
            },
        )
        pledge.sources.add(source, *source.corroborations.all())
        if candidate.quote_id:
            Quote.objects.filter(pk=candidate.quote_id).update(reviewed=True)
            pledge.quotes.add(candidate.quote_id)
        names = (
            correction.conditions
            if correction.conditions is not None
            else (candidate.conditions if stance == Stance.CONDITIONAL else ())
        )
        for name in names:
            condition, _ = Condition.objects.get_or_create(name=name.strip()[:160])
            pledge.conditions.add(condition)
        _decide(candidate, Candidate.Status.ACCEPTED, editor, pledge=pledge)
    return pledge


def candidate_reject(candidate_id: int, *, editor) -> None:
    with transaction.atomic():
        candidate = _claim(candidate_id)
        _decide(candidate, Candidate.Status.REJECTED, editor)


def _decide(candidate: Candidate, status: str, editor, *, pledge: Pledge | None = None) -> None:
    candidate.status = status
    candidate.decided_by = editor
    candidate.decided_at = timezone.now()
    candidate.pledge = pledge
    # Saved (not updated) so the decision is in the candidate's history, under the editor.
    candidate._history_user = editor
    candidate.save(update_fields=["status", "decided_by", "decided_at", "pledge"])


def _claim(candidate_id: int) -> Candidate:
    # The row lock makes a second editor wait for the first, then see the decision.
    # decided_by is not joined: after waiting, PostgreSQL re-reads the locked row but not
    # the joined ones, so the name of the editor who just decided would come back empty.
    candidate = (
        Candidate.objects.select_for_update(of=("self",))
        .select_related("source", "nation", "pledge_type")
        .get(pk=candidate_id)
    )
    if candidate.status != Candidate.Status.PENDING:
        who = candidate.decided_by.get_username() if candidate.decided_by else "another editor"
        raise AlreadyDecided(f"This candidate was already {candidate.status} by {who}.")
    return candidate
