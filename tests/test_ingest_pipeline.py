"""The ingestion pipeline end to end, in-process (Celery eager) against the stub web server:
feeds to articles to sources to quotes and candidates, safe to run twice, and bad input
stopping at the item that is bad."""

from __future__ import annotations

from unittest import mock

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ingest import services, tasks
from ingest.models import Article, Candidate, Feed
from ingest.web.pages import parse_article
from pledges.models import Quote, Source

from .stub_server import article_html

pytestmark = pytest.mark.usefixtures("seeded")


@pytest.fixture(autouse=True)
def allow_stub_server(settings):
    settings.FETCH_ALLOWED_HOSTS = ["127.0.0.1"]
    settings.FETCH_READ_TIMEOUT = 2.0


def counts() -> tuple[int, int, int, int]:
    return (Article.objects.count(), Source.objects.count(), Quote.objects.count(),
            Candidate.objects.count())  # fmt: skip


def test_feed_to_candidates(stub_server, run_on_commit):
    feed = Feed.objects.create(url=stub_server.url("/feeds/many.xml?n=6"))
    run_on_commit(tasks.poll_feeds)
    assert Article.objects.filter(status=Article.Status.DONE).count() == 6
    assert Source.objects.filter(articles__feeds=feed).count() == 6
    candidates = Candidate.objects.filter(source__articles__feeds=feed)
    assert candidates.count() >= 6
    assert set(candidates.values_list("status", flat=True)) == {"pending"}
    feed.refresh_from_db()
    assert feed.title == "Stub Gazette: Europe"
    assert feed.last_success_at is not None and feed.last_error == ""
    source = Source.objects.get(url=stub_server.url("/articles/0.html"))
    assert source.title.startswith("Poland and")
    for quote in source.quotes.all():
        assert quote.text in source.text  # verbatim
        assert not quote.reviewed


def test_every_step_twice_changes_nothing(stub_server, run_on_commit):
    feed = Feed.objects.create(url=stub_server.url("/feeds/many.xml?n=3"))
    run_on_commit(tasks.poll_feed, feed.pk)
    before = counts()
    fetched = len(stub_server.requests_for("/articles/0.html"))
    run_on_commit(tasks.poll_feed, feed.pk)
    for article in Article.objects.all():
        run_on_commit(tasks.fetch_article, article.pk)
    for source in Source.objects.filter(articles__feeds=feed):
        run_on_commit(tasks.extract_source, source.pk)
    assert counts() == before
    assert len(stub_server.requests_for("/articles/0.html")) == fetched


def test_same_article_through_two_feeds_is_one_source(stub_server, run_on_commit):
    Feed.objects.create(url=stub_server.url("/feeds/many.xml?n=2"))
    Feed.objects.create(url=stub_server.url("/feeds/many.xml?n=3&utm_source=x"))
    run_on_commit(tasks.poll_feeds)
    assert Article.objects.count() == 3
    assert Source.objects.count() == 3 + 1  # plus the seed article
    assert Article.objects.get(url=stub_server.url("/articles/0.html")).feeds.count() == 2


def test_tracking_parameters_do_not_make_a_new_article(stub_server, run_on_commit):
    tasks.submit_article(stub_server.url("/articles/4.html?utm_medium=email"))
    tasks.submit_article(stub_server.url("/articles/4.html"))
    assert Article.objects.count() == 1


def test_the_same_text_at_another_address_is_the_same_source(stub_server, run_on_commit):
    first = tasks.submit_article(stub_server.url("/articles/3.html"))
    run_on_commit(tasks.fetch_article, first.pk)
    articles, *stored = counts()
    copy = tasks.submit_article(stub_server.add("/mirror/3.html", article_html(3)))
    run_on_commit(tasks.fetch_article, copy.pk)
    copy.refresh_from_db()
    first.refresh_from_db()
    assert copy.status == Article.Status.DONE
    assert copy.source_id == first.source_id
    assert counts() == (articles + 1, *stored)  # no new source, quote or candidate


def test_republished_wire_story_corroborates(stub_server, run_on_commit, django_user_model):
    original = tasks.submit_article(stub_server.url("/articles/7.html"))
    run_on_commit(tasks.fetch_article, original.pk)
    candidates_before = Candidate.objects.count()
    quotes_before = Quote.objects.count()
    reprint = tasks.submit_article(stub_server.url("/articles/7.html?outlet=daily"))
    run_on_commit(tasks.fetch_article, reprint.pk)
    reprint.refresh_from_db()
    original.refresh_from_db()
    assert reprint.status == Article.Status.DONE
    assert reprint.source != original.source
    assert reprint.source.duplicate_of == original.source
    assert Candidate.objects.count() == candidates_before
    assert Quote.objects.count() == quotes_before
    editor = django_user_model.objects.create(username="ed")
    candidate = original.source.candidates.first()
    pledge = services.candidate_accept(candidate.pk, editor=editor)
    assert set(pledge.sources.all()) == {original.source, reprint.source}


@pytest.mark.parametrize(
    ("path", "reason"),
    [
        ("/binary", "application/octet-stream"),
        ("/binary-as-html", ""),
        ("/huge", "limit"),
        ("/huge-declared", "the limit is 5,000,000 bytes"),
        ("/status/404", "404"),
    ],
)
def test_bad_page_fails_visibly_and_loses_nothing(stub_server, run_on_commit, path, reason):
    good = tasks.submit_article(stub_server.url("/articles/2.html"))
    run_on_commit(tasks.fetch_article, good.pk)
    before = counts()
    article = tasks.submit_article(stub_server.url(path))
    run_on_commit(tasks.fetch_article, article.pk)
    article.refresh_from_db()
    assert article.status == Article.Status.FAILED
    assert reason.lower() in article.error.lower() and article.error
    assert counts()[1:] == before[1:]
    good.refresh_from_db()
    assert good.status == Article.Status.DONE


def test_private_network_urls_are_refused_before_any_connection(
    stub_server, canary_server, run_on_commit
):
    for url in [
        "http://169.254.169.254/latest/meta-data/",
        "http://10.0.0.1/",
        "http://[::ffff:127.0.0.1]/",
        canary_server.url("/articles/0.html"),
        stub_server.url("/redirect-to?url=" + canary_server.url("/articles/1.html")),
    ]:
        article = tasks.submit_article(url)
        run_on_commit(tasks.fetch_article, article.pk)
        article.refresh_from_db()
        assert article.status == Article.Status.FAILED, url
        assert "not a public address" in article.error or "not allowed" in article.error, (
            article.error
        )
    assert canary_server.requests == []


def test_malformed_feed_is_reported_and_other_feeds_still_poll(stub_server, run_on_commit):
    broken = Feed.objects.create(url=stub_server.url("/feeds/malformed.xml"))
    good = Feed.objects.create(url=stub_server.url("/feeds/many.xml?n=2"))
    run_on_commit(tasks.poll_feeds)
    broken.refresh_from_db()
    assert broken.last_error
    assert broken.consecutive_failures == 1 and broken.retry_after is not None
    assert good.articles.count() == 2


def test_rate_limited_feed_honours_retry_after(stub_server, run_on_commit):
    feed = Feed.objects.create(url=stub_server.url("/status/429?retry_after=7200"))
    run_on_commit(tasks.poll_feed, feed.pk)
    feed.refresh_from_db()
    assert (feed.retry_after - feed.last_polled_at).total_seconds() >= 7200
    assert "429" in feed.last_error
    assert feed.pk not in services.feeds_due()
    run_on_commit(tasks.poll_feed, feed.pk)
    assert len(stub_server.requests_for("/status/429")) == 1


def test_conditional_get_for_feeds(stub_server, run_on_commit):
    from tests.stub_server import atom_feed

    url = stub_server.add(
        "/feeds/etag.xml", atom_feed(), content_type="application/atom+xml", etag='"v1"'
    )
    feed = Feed.objects.create(url=url)
    run_on_commit(tasks.poll_feed, feed.pk)
    before = counts()
    run_on_commit(tasks.poll_feed, feed.pk)
    second = stub_server.requests_for("/feeds/etag.xml")[-1]
    assert second.headers.get("if-none-match") == '"v1"'
    feed.refresh_from_db()
    assert feed.etag == '"v1"' and feed.last_error == ""
    assert counts() == before


def test_a_pledge_type_added_by_an_editor_is_learned(stub_server, run_on_commit):
    from pledges.models import PledgeType

    run_on_commit(tasks.extract_source, Source.objects.get().pk)  # warm the gazetteer cache
    PledgeType.objects.create(
        slug="cyber",
        name="Cyber defence",
        description="Help defending networks against cyber attacks.",
        signals=["cyber defence", "cyber-defence experts"],
    )
    url = stub_server.add(
        "/articles/cyber.html",
        "<html><head><title>Estonia offers cyber help</title></head><body><article>"
        "<h1>Estonia offers cyber help</h1><p>Estonia will send cyber-defence experts to "
        "Ukraine to protect its power grid, the Estonian defence ministry said on Monday, "
        "adding that the team would arrive within weeks.</p><p>Officials in Tallinn said "
        "the mission had been discussed with partners for several months.</p>"
        "</article></body></html>",
    )
    article = tasks.submit_article(url)
    run_on_commit(tasks.fetch_article, article.pk)
    article.refresh_from_db()
    assert article.status == "done", article.error
    types = set(article.source.candidates.values_list("pledge_type__slug", flat=True))
    assert "cyber" in types


def test_one_task_fetches_stores_and_extracts_an_article(stub_server, run_on_commit):
    article = tasks.submit_article(stub_server.url("/articles/3.html"))
    with mock.patch.object(tasks.extract_source, "apply_async") as extract_queued:
        run_on_commit(tasks.fetch_article, article.pk)
    assert not extract_queued.called  # nothing left for another task
    article.refresh_from_db()
    source = article.source
    assert article.status == Article.Status.DONE and source.extracted_at is not None
    assert source.candidates.exists()
    assert source.history.count() == 1
    assert all(c.history.count() == 1 for c in source.candidates.all())


def test_a_source_stored_but_not_extracted_is_extracted_by_the_next_run(stub_server, run_on_commit):
    # As a worker killed between storing and extracting (or an older release) leaves it.
    article = tasks.submit_article(stub_server.url("/articles/5.html"))
    parsed = parse_article(
        article_html(5).encode(), content_type="text/html", charset=None, url=article.url
    )
    source = services.source_store(article.url, parsed)
    Article.objects.filter(pk=article.pk).update(source=source, status=Article.Status.EXTRACTING)
    fetched = len(stub_server.requests_for("/articles/5.html"))
    run_on_commit(tasks.fetch_article, article.pk)
    article.refresh_from_db()
    assert article.status == Article.Status.DONE
    assert article.source.candidates.exists() and article.source.extracted_at
    assert len(stub_server.requests_for("/articles/5.html")) == fetched


def test_a_poll_costs_the_same_queries_for_5_entries_or_50(stub_server):
    def poll(n: int) -> tuple[int, int]:
        feed = Feed.objects.create(url=stub_server.url(f"/feeds/many.xml?n={n}&f={n}"))
        with CaptureQueriesContext(connection) as queries:
            created = services.feed_poll(feed.pk)  # queues nothing: its task does
        return len(created), len(queries)

    few, many = poll(5), poll(50)
    assert few[0] == 5 and many[0] == 45  # the first five are known from the first feed
    assert few[1] == many[1]
