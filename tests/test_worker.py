"""Real Celery workers against the real broker (Redis) and database (PostgreSQL): a feed of
50+ articles ingested end to end, and a worker killed with SIGKILL mid-run whose successor
finishes the job with every article ingested exactly once."""

from __future__ import annotations

import os
import time
from email.utils import format_datetime

import pytest
from django.conf import settings
from django.db import connection

from ingest.extractor import load_backend
from ingest.gazetteers import gazetteer_from_db
from ingest.models import Article, Candidate, Feed
from pledges.models import Quote, Source

from .services import redis_url, require_postgres
from .stub_server import article_date, article_headline, article_html
from .workers import Worker, send, wait_until

pytestmark = pytest.mark.redis


@pytest.fixture
def services(transactional_db, tmp_path):
    require_postgres()
    broker = redis_url()
    import redis

    redis.Redis.from_url(broker).flushdb()
    from pledges.seeding import seed_load

    seed_load()
    db = connection.settings_dict
    database_url = (
        f"postgres://{db['USER'] or 'postgres'}@{db['HOST'] or '127.0.0.1'}:"
        f"{db['PORT'] or 5432}/{db['NAME']}"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "pledgewatch.settings",
        "DATABASE_URL": database_url,
        "CELERY_BROKER_URL": broker,
        "FETCH_ALLOWED_HOSTS": "127.0.0.1",
        # Unacknowledged tasks of a killed worker come back after this many seconds.
        "CELERY_VISIBILITY_TIMEOUT": "8",
        "CELERY_UNACKED_RESTORE_INTERVAL": "1",
        "CELERY_UNACKED_RESTORE_THROTTLE": "1",
        "PYTHONUNBUFFERED": "1",
    }
    return {"env": env, "logs": tmp_path}


def done_count() -> int:
    return Article.objects.filter(status=Article.Status.DONE).count()


def assert_ingested_exactly_once(count: int) -> None:
    articles = Article.objects.select_related("source")
    assert articles.count() == count
    assert all(a.status == Article.Status.DONE and a.source_id for a in articles)
    sources = Source.objects.filter(articles__isnull=False).distinct()
    assert sources.count() == count
    extractor, gazetteer = load_backend(settings.PLEDGE_EXTRACTOR), gazetteer_from_db()
    for source in sources:
        expected = extractor.extract(source.text, gazetteer)
        candidates = {(c.nation.iso2, c.pledge_type.slug) for c in source.candidates.all()}
        assert candidates == {(c.nation, c.type) for c in expected.candidates}
        assert source.candidates.count() == len(candidates)
        assert {q.text for q in source.quotes.all()} == {q.text for q in expected.quotes}
        assert all(q.text in source.text for q in source.quotes.all())


def test_worker_ingests_a_feed_of_50_articles(services, stub_server):
    env, logs = services["env"], services["logs"]
    feed = Feed.objects.create(url=stub_server.url("/feeds/many.xml?n=50"))
    worker = Worker(env, logs / "worker.log")
    try:
        started = time.monotonic()
        send(env, "ingest.tasks.poll_feeds")
        wait_until(lambda: done_count() == 50, timeout=240, worker_logs=[worker.log],
                   what="50 articles done")  # fmt: skip
        elapsed = time.monotonic() - started
    finally:
        worker.stop()
    print(f"\n50 articles ingested by a real worker in {elapsed:.1f} s")
    assert feed.articles.count() == 50
    assert_ingested_exactly_once(50)
    assert Candidate.objects.filter(source__articles__feeds=feed).count() >= 50
    assert Quote.objects.filter(source__articles__feeds=feed).exists()
    feed.refresh_from_db()
    assert feed.last_error == "" and feed.last_success_at


def slow_feed(stub_server, count: int, delay: float) -> str:
    items = []
    for index in range(count):
        url = stub_server.add(f"/slow-articles/{index}.html", article_html(index), delay=delay)
        items.append(
            f"<item><title>{article_headline(index)}</title><link>{url}</link>"
            f"<guid>slow-{index}</guid><pubDate>{format_datetime(article_date(index))}</pubDate>"
            "</item>"
        )
    rss = (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>Slow wire</title><link>{stub_server.url('/')}</link>"
        f"<description>slow</description>{''.join(items)}</channel></rss>"
    )
    return stub_server.add("/feeds/slow.xml", rss, content_type="application/rss+xml")


def test_killed_worker_loses_and_repeats_nothing(services, stub_server):
    env, logs = services["env"], services["logs"]
    count = 60
    Feed.objects.create(url=slow_feed(stub_server, count, delay=0.4))
    first = Worker(env, logs / "first.log")
    second = None
    try:
        send(env, "ingest.tasks.poll_feeds")
        wait_until(lambda: done_count() >= 10, timeout=120, worker_logs=[first.log],
                   what="the first worker to finish 10 articles")  # fmt: skip
        first.kill()
        killed_at = time.monotonic()
        interrupted = count - done_count()
        assert interrupted > 0, "the worker finished everything before it could be killed"
        second = Worker(env, logs / "second.log")
        wait_until(lambda: done_count() == count, timeout=300,
                   worker_logs=[first.log, second.log], what="every article done")  # fmt: skip
        print(
            f"\n{interrupted} articles left when the worker was killed; its successor "
            f"finished them in {time.monotonic() - killed_at:.1f} s"
        )
    finally:
        first.stop()
        if second:
            second.stop()
    assert_ingested_exactly_once(count)


def test_a_worker_fails_articles_out_of_time_or_of_retries_with_their_reason(services, stub_server):
    """Under a worker, the soft time limit and the last retry both end in "failed" with the
    reason, never in an article left "fetching" or "queued" that nothing will pick up."""
    env = {
        **services["env"],
        "CELERY_TASK_SOFT_TIME_LIMIT": "1",
        "CELERY_TASK_TIME_LIMIT": "5",
        "FETCH_READ_TIMEOUT": "10",
        "TASK_RETRY_BACKOFF_SECONDS": "0",
    }
    stuck = Article.objects.create(url=stub_server.add("/limits/stuck.html", "x", delay=4))
    flaky = Article.objects.create(url=stub_server.add("/limits/flaky.html", b"", status=503))
    worker = Worker(env, services["logs"] / "worker.log")
    try:
        for article in (stuck, flaky):
            send(env, "ingest.tasks.fetch_article", article.pk)
        wait_until(
            lambda: Article.objects.filter(status=Article.Status.FAILED).count() == 2,
            timeout=90,
            worker_logs=[worker.log],
            what="both articles failed",
        )
    finally:
        worker.stop()
    stuck.refresh_from_db()
    flaky.refresh_from_db()
    assert "Stopped after 1 s" in stuck.error
    assert "503" in flaky.error and "(after 5 tries)" in flaky.error
    assert len(stub_server.requests_for("/limits/flaky.html")) == 5
    assert stuck.retry_after and flaky.retry_after
