"""A real Celery worker whose database, then whose broker, goes away mid-ingestion and comes
back: the same worker process carries on by itself, and every article polled before, during
and after the outage is ingested exactly once.

Both run against the tests' own PostgreSQL cluster and redis-server (throwaway_services),
never the machine's shared ones. Beat is played by the test: it sends `poll_feeds` and
`requeue_stalled_articles`, as beat would on its next ticks.
"""

from __future__ import annotations

import json
import os
import time
from email.utils import format_datetime

import psycopg
import pytest
from django.conf import settings

from ingest.extractor import load_backend
from ingest.gazetteers import gazetteer_from_db

from .stub_server import article_date, article_headline, article_html
from .workers import Sweeps, Worker, send, wait_until

pytestmark = [pytest.mark.postgres, pytest.mark.redis]

PER_FEED = 12


def feed_of_slow_articles(stub_server, name: str, first: int) -> str:
    """An RSS feed of PER_FEED articles, each answered after half a second."""
    items = []
    for index in range(first, first + PER_FEED):
        url = stub_server.add(f"/{name}/articles/{index}.html", article_html(index), delay=0.5)
        items.append(
            f"<item><title>{article_headline(index)}</title><link>{url}</link>"
            f"<guid>{name}-{index}</guid><pubDate>{format_datetime(article_date(index))}"
            "</pubDate></item>"
        )
    rss = (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>{name}</title><link>{stub_server.url('/')}</link><description>d</description>"
        f"{''.join(items)}</channel></rss>"
    )
    return stub_server.add(f"/{name}/feed.xml", rss, content_type="application/rss+xml")


class Ingestion:
    """The throwaway database as the test sees it, through plain SQL."""

    def __init__(self, database_url: str) -> None:
        self.url = database_url

    def query(self, sql: str, *params: object) -> list[tuple]:
        with psycopg.connect(self.url, autocommit=True, connect_timeout=3) as connection:
            cursor = connection.execute(sql, params)
            return cursor.fetchall() if cursor.description else []

    def add_feed(self, url: str) -> None:
        self.query(
            "INSERT INTO ingest_feed (url, title, is_active, etag, last_modified, last_error, "
            "consecutive_failures, created_at) VALUES (%s, '', true, '', '', '', 0, now())",
            url,
        )

    def fetched(self) -> int:
        return self.query("SELECT count(*) FROM ingest_article WHERE source_id IS NOT NULL")[0][0]

    def done(self) -> int:
        try:
            return self.query("SELECT count(*) FROM ingest_article WHERE status = 'done'")[0][0]
        except psycopg.OperationalError:
            return -1  # the database is down right now

    def assert_ingested_exactly_once(self, urls: set[str]) -> None:
        articles = self.query("SELECT url, status, source_id FROM ingest_article")
        assert {url for url, _, _ in articles} == urls
        assert len(articles) == len(urls)
        assert all(status == "done" and source for _, status, source in articles), articles
        sources = self.query(
            "SELECT s.id, s.url, s.text FROM pledges_source s "
            "WHERE s.id IN (SELECT source_id FROM ingest_article)"
        )
        assert {url for _, url, _ in sources} == urls
        extractor, gazetteer = load_backend(settings.PLEDGE_EXTRACTOR), gazetteer_from_db()
        for source_id, url, text in sources:
            expected = extractor.extract(text, gazetteer)
            candidates = self.query(
                "SELECT n.iso2, t.slug FROM ingest_candidate c "
                "JOIN pledges_nation n ON n.id = c.nation_id "
                "JOIN pledges_pledgetype t ON t.id = c.pledge_type_id WHERE c.source_id = %s",
                source_id,
            )
            assert sorted(candidates) == sorted({(c.nation, c.type) for c in expected.candidates})
            quotes = self.query("SELECT text FROM pledges_quote WHERE source_id = %s", source_id)
            assert sorted(q for (q,) in quotes) == sorted({q.text for q in expected.quotes}), url


@pytest.fixture
def outage(seeded, throwaway_database, throwaway_redis, tmp_path):
    """A worker's environment on the throwaway services, with short retry and sweep times."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "pledgewatch.settings",
        "DATABASE_URL": throwaway_database,
        "DATABASE_CONNECT_TIMEOUT": "2",
        "CELERY_BROKER_URL": throwaway_redis.url(),
        "FETCH_ALLOWED_HOSTS": "127.0.0.1",
        "CELERY_VISIBILITY_TIMEOUT": "8",
        "TASK_RETRY_BACKOFF_SECONDS": "1",
        "ARTICLE_STALLED_AFTER_SECONDS": "3",
        # An article left "fetching" by a task the outage killed is taken over once no live
        # attempt can still hold it: after the hard time limit.
        "ARTICLE_TIME_LIMIT": "10",
        "CELERY_TASK_SOFT_TIME_LIMIT": "12",
        "CELERY_TASK_TIME_LIMIT": "15",
        "LOG_FORMAT": "json",
        "PYTHONUNBUFFERED": "1",
    }
    return env, Ingestion(throwaway_database), tmp_path


def json_log_lines(path) -> list[dict]:
    lines = []
    for line in path.read_text(errors="replace").splitlines():
        if line.startswith("{"):
            lines.append(json.loads(line))
    return lines


def test_database_stopped_and_started_mid_ingestion(outage, throwaway_postgres, stub_server):
    env, ingestion, logs = outage
    before = feed_of_slow_articles(stub_server, "db-before", 0)
    after = feed_of_slow_articles(stub_server, "db-after", 100)
    ingestion.add_feed(before)
    worker = Worker(env, logs / "worker.log")
    try:
        send(env, "ingest.tasks.poll_feeds")
        wait_until(lambda: ingestion.done() >= 3, timeout=120, worker_logs=[worker.log],
                   what="3 articles done before the outage")  # fmt: skip
        throwaway_postgres.stop()
        send(env, "ingest.tasks.poll_feeds")  # beat ticks on while the database is away
        time.sleep(4)
        throwaway_postgres.start()
        ingestion.add_feed(after)
        send(env, "ingest.tasks.poll_feeds")
        send(env, "ingest.tasks.requeue_stalled_articles")
        sweeps = Sweeps(env, every=5)
        wait_until(lambda: sweeps.tick() or ingestion.done() == 2 * PER_FEED, timeout=150,
                   worker_logs=[worker.log], what="every article done")  # fmt: skip
        assert worker.process.poll() is None, "the worker had to be restarted"
    finally:
        worker.stop()
    ingestion.assert_ingested_exactly_once(
        {stub_server.url(f"/db-before/articles/{i}.html") for i in range(PER_FEED)}
        | {stub_server.url(f"/db-after/articles/{i}.html") for i in range(100, 100 + PER_FEED)}
    )
    lines = json_log_lines(worker.log)
    assert any("OperationalError" in line.get("message", "") + line.get("exception", "")
               for line in lines), "the worker never noticed the database was gone"  # fmt: skip
    assert any(line.get("task_name") == "ingest.tasks.fetch_article" for line in lines)


def test_broker_stopped_and_started_mid_ingestion(outage, throwaway_redis, stub_server):
    env, ingestion, logs = outage
    before = feed_of_slow_articles(stub_server, "mq-before", 0)
    after = feed_of_slow_articles(stub_server, "mq-after", 100)
    ingestion.add_feed(before)
    worker = Worker(env, logs / "worker.log")
    try:
        send(env, "ingest.tasks.poll_feeds")
        # Extraction tasks queue behind the fetches, so wait on fetches: waiting for finished
        # articles can see the last one land before the broker is stopped.
        wait_until(lambda: ingestion.fetched() >= 3, timeout=120, worker_logs=[worker.log],
                   what="3 articles fetched before the outage")  # fmt: skip
        throwaway_redis.stop()  # everything queued is lost with it
        lost = PER_FEED - ingestion.done()
        time.sleep(3)
        throwaway_redis.start()
        ingestion.add_feed(after)
        send(env, "ingest.tasks.poll_feeds")
        send(env, "ingest.tasks.requeue_stalled_articles")
        sweeps = Sweeps(env, every=5)
        wait_until(lambda: sweeps.tick() or ingestion.done() == 2 * PER_FEED, timeout=150,
                   worker_logs=[worker.log], what="every article done")  # fmt: skip
        assert worker.process.poll() is None, "the worker had to be restarted"
    finally:
        worker.stop()
    assert lost > 0, "the broker went away only after everything was done"
    ingestion.assert_ingested_exactly_once(
        {stub_server.url(f"/mq-before/articles/{i}.html") for i in range(PER_FEED)}
        | {stub_server.url(f"/mq-after/articles/{i}.html") for i in range(100, 100 + PER_FEED)}
    )
