"""Feeds that misbehave (time out, answer 500 or 429, rotate their GUIDs): each is recorded,
backed off, shown to editors, and never holds up the other feeds. Articles whose task was
lost are queued again by the beat sweep."""

from __future__ import annotations

import datetime as dt
from email.utils import format_datetime

import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from ingest import services, tasks
from ingest.models import Article, Feed
from ingest.services import feeds

from .stub_server import article_headline

pytestmark = pytest.mark.usefixtures("seeded")


@pytest.fixture(autouse=True)
def allow_stub_server(settings):
    settings.FETCH_ALLOWED_HOSTS = ["127.0.0.1"]
    settings.FETCH_READ_TIMEOUT = 0.5


def poll_again_now(feed: Feed) -> None:
    """As if its backoff had run out."""
    Feed.objects.filter(pk=feed.pk).update(retry_after=timezone.now() - dt.timedelta(seconds=1))


def backoff(feed: Feed) -> dt.timedelta:
    feed.refresh_from_db()
    return feed.retry_after - feed.last_polled_at


@pytest.mark.parametrize(
    ("path", "error"),
    [
        ("/slow?delay=3", "did not answer in time"),
        ("/status/500", "500"),
        ("/status/503", "503"),
    ],
)
def test_failing_feed_backs_off_and_others_still_poll(stub_server, run_on_commit, path, error):
    failing = Feed.objects.create(url=stub_server.url(path))
    good = Feed.objects.create(url=stub_server.url("/feeds/many.xml?n=3"))
    run_on_commit(tasks.poll_feeds)
    failing.refresh_from_db()
    assert error in failing.last_error.lower(), failing.last_error
    assert failing.consecutive_failures == 1
    assert backoff(failing) == feeds.FEED_BACKOFF_BASE
    assert failing.last_success_at is None
    assert good.articles.count() == 3
    # Backing off: not polled again until its time comes.
    assert failing.pk not in services.feeds_due()
    assert good.pk in services.feeds_due()


def test_backoff_doubles_then_resets_on_success(stub_server, run_on_commit):
    url = stub_server.add("/feeds/flaky.xml", "down", status=500, content_type="text/plain")
    feed = Feed.objects.create(url=url)
    run_on_commit(tasks.poll_feed, feed.pk)
    first = backoff(feed)
    poll_again_now(feed)
    run_on_commit(tasks.poll_feed, feed.pk)
    assert backoff(feed) == 2 * first
    assert feed.consecutive_failures == 2
    for _ in range(20):
        poll_again_now(feed)
        run_on_commit(tasks.poll_feed, feed.pk)
    assert backoff(feed) == feeds.FEED_BACKOFF_MAX
    from tests.stub_server import atom_feed

    stub_server.add("/feeds/flaky.xml", atom_feed(), content_type="application/atom+xml")
    poll_again_now(feed)
    run_on_commit(tasks.poll_feed, feed.pk)
    feed.refresh_from_db()
    assert feed.last_error == "" and feed.consecutive_failures == 0
    assert feed.retry_after is None and feed.last_success_at == feed.last_polled_at
    assert feed.articles.count() == 5


def test_rate_limit_with_an_http_date_is_honoured(stub_server, run_on_commit):
    later = timezone.now() + dt.timedelta(hours=3)
    url = stub_server.add(
        "/feeds/limited.xml",
        "slow down",
        status=429,
        headers={"Retry-After": format_datetime(later, usegmt=True)},
        content_type="text/plain",
    )
    feed = Feed.objects.create(url=url)
    run_on_commit(tasks.poll_feed, feed.pk)
    assert dt.timedelta(hours=2, minutes=58) <= backoff(feed) <= dt.timedelta(hours=3, minutes=1)
    assert "429" in feed.last_error
    requests = len(stub_server.requests_for("/feeds/limited.xml"))
    run_on_commit(tasks.poll_feeds)
    assert len(stub_server.requests_for("/feeds/limited.xml")) == requests


def test_an_absurd_retry_after_is_capped_at_a_day(stub_server, run_on_commit):
    url = stub_server.add(
        "/feeds/very-busy.xml", "later", status=429, headers={"Retry-After": "99999999"}
    )
    feed = Feed.objects.create(url=url)
    run_on_commit(tasks.poll_feed, feed.pk)
    assert backoff(feed) == dt.timedelta(days=1)


def rotating_feed(stub_server, poll: int) -> str:
    """The same five links, with new GUIDs, dates and tracking tags on every poll (some
    CMSs do this)."""
    items = "".join(
        f"<item><title>{article_headline(i)}</title>"
        f"<link>{stub_server.url(f'/articles/{i}.html')}?utm_source=rss&amp;utm_content=poll-{poll}</link>"
        f"<guid isPermaLink='false'>poll-{poll}-item-{i}</guid>"
        f"<pubDate>{format_datetime(timezone.now())}</pubDate></item>"
        for i in range(30, 35)
    )
    rss = (
        "<?xml version='1.0'?><rss version='2.0'><channel><title>Rotating</title>"
        f"<link>{stub_server.url('/')}</link><description>d</description>{items}</channel></rss>"
    )
    return stub_server.add("/feeds/rotating.xml", rss, content_type="application/rss+xml")


def test_rotating_guids_bring_no_new_articles(stub_server, run_on_commit):
    feed = Feed.objects.create(url=rotating_feed(stub_server, 1))
    run_on_commit(tasks.poll_feed, feed.pk)
    assert Article.objects.count() == 5
    assert Article.objects.filter(status=Article.Status.DONE).count() == 5
    fetched = len(stub_server.requests_for("/articles/30.html"))
    for poll in (2, 3):
        rotating_feed(stub_server, poll)
        result = run_on_commit(tasks.poll_feed, feed.pk)
        assert result.result == 0
    assert Article.objects.count() == 5
    assert len(stub_server.requests_for("/articles/30.html")) == fetched
    feed.refresh_from_db()
    assert feed.last_error == ""


def test_editors_see_each_feeds_trouble(client, stub_server, run_on_commit):
    timed_out = Feed.objects.create(url=stub_server.url("/slow?delay=3"), title="Slow wire")
    # Own paths: the stub server is shared by the whole session, and other tests count
    # the requests to its built-in ones.
    busy = stub_server.add("/feeds/busy.xml", "later", status=429, headers={"Retry-After": "7200"})
    limited = Feed.objects.create(url=busy, title="Busy wire")
    Feed.objects.create(url=stub_server.url("/feeds/many.xml?n=2"), title="Good wire")
    run_on_commit(tasks.poll_feeds)
    client.force_login(User.objects.create_superuser("ed", password="a-long-editor-password"))
    page = client.get("/review/feeds/").content.decode()
    timed_out.refresh_from_db()
    limited.refresh_from_db()
    assert timed_out.last_error in page and limited.last_error in page
    assert "asked to retry after 7200 s" in page
    assert page.count("next try after") == 2


def test_stalled_articles_are_queued_again_and_then_finish(stub_server, run_on_commit, settings):
    """A broker that lost its queue leaves articles queued forever; beat's sweep finds them."""
    settings.ARTICLE_STALLED_AFTER = dt.timedelta(minutes=30)
    long_ago = timezone.now() - dt.timedelta(hours=1)
    lost = Article.objects.create(url=stub_server.url("/articles/40.html"))
    half_done = Article.objects.create(
        url=stub_server.url("/articles/41.html"), status=Article.Status.FETCHING, attempts=1
    )
    hopeless = Article.objects.create(
        url=stub_server.url("/articles/42.html"),
        status=Article.Status.QUEUED,
        attempts=services.MAX_ARTICLE_ATTEMPTS,
    )
    recent = Article.objects.create(url=stub_server.url("/articles/43.html"))
    # The fetch of half_done started an hour ago: longer than any live attempt may run.
    Article.objects.filter(pk__in=[lost.pk, half_done.pk, hopeless.pk]).update(
        created_at=long_ago, updated_at=long_ago
    )
    result = run_on_commit(tasks.requeue_stalled_articles)
    assert result.result == 2
    for article, status in [
        (lost, "done"),
        (half_done, "done"),
        (hopeless, "failed"),
        (recent, "queued"),
    ]:
        article.refresh_from_db()
        assert article.status == status, article
    assert "Gave up after 10 attempts" in hopeless.error
    assert run_on_commit(tasks.requeue_stalled_articles).result == 0
