"""Bounded work and honest states: a slow or failing server costs one fetch within the deadline,
an article nothing will retry says "failed" with the reason and when it may be tried again,
concurrent submissions and seed loads never crash, every exported cell is defused, and a feed
poll takes a bounded number of entries."""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import subprocess
import sys
import time
from email.utils import format_datetime
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command
from django.utils import timezone

from ingest import services, tasks
from ingest.models import Article, Feed
from pledges.models import Condition, Pledge

from .factories import (
    LeaderFactory,
    NationFactory,
    PledgeFactory,
    PledgeTypeFactory,
    SourceFactory,
)

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def quick_fetches(settings):
    settings.FETCH_ALLOWED_HOSTS = ["127.0.0.1"]
    settings.FETCH_READ_TIMEOUT = 0.5
    settings.FETCH_TOTAL_DEADLINE = 1.0


def ingest_url(url: str) -> tuple[float, str]:
    """Run `manage.py ingest_url` in this process; its seconds and its error, if any."""
    started = time.monotonic()
    try:
        call_command("ingest_url", url, stdout=io.StringIO(), stderr=io.StringIO())
    except CommandError as error:
        return time.monotonic() - started, str(error)
    return time.monotonic() - started, ""


# --- Slow servers without a broker ----------------------------------------------------------


# Each case sets the limit it is about far below the other, so a loaded machine stalling the
# stub for half a second cannot trip the wrong one.
@pytest.mark.parametrize(
    ("path", "read_timeout", "deadline", "reason"),
    [
        ("/slow-body?delay=0.2", 5, 1.0, "took longer than allowed"),  # a page trickling bytes
        ("/slow?delay=3", 0.5, 2.5, "did not answer in time"),  # a server that hangs
        ("/slow-headers?delay=0.1", 5, 1.0, "took longer than allowed"),  # headers dripped
        ("/slow-body?delay=3", 5, 1.0, "took longer than allowed"),  # silent past the deadline
    ],
)
def test_a_slow_server_costs_one_fetch_and_fails_with_when(
    db, settings, stub_server, path, read_timeout, deadline, reason
):
    settings.FETCH_READ_TIMEOUT = read_timeout
    settings.FETCH_TOTAL_DEADLINE = deadline
    url = stub_server.url(path)
    before = len(stub_server.requests_for(path.split("?")[0]))
    seconds, error = ingest_url(url)
    assert error == "1 of 1 URLs failed"
    assert seconds < 4, "the command waited for retries that never come"
    assert len(stub_server.requests_for(path.split("?")[0])) == before + 1
    article = Article.objects.get()
    assert article.status == Article.Status.FAILED  # never "queued": nothing will retry it
    assert reason in article.error
    assert article.retry_after > timezone.now()


def test_an_editors_submission_without_a_broker_fails_with_when(
    client, db, stub_server, django_capture_on_commit_callbacks
):
    editor = User.objects.create_superuser("ed", password="a-long-editor-password")
    client.force_login(editor)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/review/articles/new/", {"url": stub_server.url("/status/503")})
    article = Article.objects.get()
    assert article.status == Article.Status.FAILED
    page = client.get(response.url).content.decode()
    assert "503" in page
    assert "Nothing retries it by itself" in page
    assert "it can be fetched again from" in page


def test_a_failed_article_is_fetched_again_only_after_its_backoff(db, stub_server):
    path = f"/backoff/{time.monotonic_ns()}"
    url = stub_server.add(path, b"", status=503)
    for _ in range(5):
        ingest_url(url)
        tasks.submit_article(url)
    assert len(stub_server.requests_for(path)) == 1
    article = Article.objects.get()
    assert article.status == Article.Status.FAILED and article.attempts == 1
    Article.objects.update(retry_after=timezone.now() - dt.timedelta(seconds=1))
    ingest_url(url)
    ingest_url(url)
    assert len(stub_server.requests_for(path)) == 2
    article.refresh_from_db()
    # The second failure waits twice as long as the first.
    assert article.retry_after - timezone.now() > dt.timedelta(seconds=50)


# --- Twenty submissions of one URL at once ----------------------------------------------------


def manage_env(database_url: str) -> dict[str, str]:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "pledgewatch.settings",
        "DATABASE_URL": database_url,
        "CELERY_BROKER_URL": "",
        "FETCH_ALLOWED_HOSTS": "127.0.0.1",
        "FETCH_READ_TIMEOUT": "1",
        "FETCH_TOTAL_DEADLINE": "2",
    }


def run_at_once(env: dict[str, str], commands: list[list[str]]) -> list[subprocess.Popen]:
    processes = [
        subprocess.Popen(
            [sys.executable, "manage.py", *command],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for command in commands
    ]
    for process in processes:
        process.outputs = process.communicate(timeout=240)
    return processes


@pytest.fixture
def sqlite_file(tmp_path) -> str:
    url = f"sqlite:///{tmp_path / 'concurrent.sqlite3'}"
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput"],
        cwd=ROOT,
        env=manage_env(url),
        check=True,
        capture_output=True,
        timeout=120,
    )
    return url


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request) -> str:
    if request.param == "sqlite":
        return request.getfixturevalue("sqlite_file")
    return request.getfixturevalue("throwaway_database")


def test_twenty_commands_at_once_on_one_failing_url(database_url, stub_server):
    path = f"/race/{time.monotonic_ns()}"
    url = stub_server.add(path, b"", status=503)
    processes = run_at_once(manage_env(database_url), [["ingest_url", url]] * 20)
    for process in processes:
        _, stderr = process.outputs
        assert "Traceback" not in stderr, stderr
        assert process.returncode in {0, 1}, stderr
    # One fetch, by the command that claimed it; the others say it failed, or that it is
    # being fetched elsewhere, and when it may be tried again.
    assert len(stub_server.requests_for(path)) == 1
    outputs = "".join(out + err for out, err in (p.outputs for p in processes))
    assert outputs.count("next attempt not before") >= 1


# --- Two seed loads at once -------------------------------------------------------------------


def test_two_seed_loads_at_once_on_postgresql(throwaway_postgres, throwaway_database):
    name = throwaway_database.rsplit("/", 1)[1]
    throwaway_postgres.execute(
        "TRUNCATE pledges_nation, pledges_bloc, pledges_pledgetype, pledges_source, "
        "pledges_condition CASCADE",
        database=name,
    )
    env = manage_env(throwaway_database)
    processes = run_at_once(env, [["load_seed"], ["load_seed"]])
    for process in processes:
        assert process.returncode == 0, process.outputs[1]
    reports = sorted(process.outputs[0] for process in processes)
    assert "nothing created" in reports[1] or "nothing created" in reports[0]
    again = subprocess.run(
        [sys.executable, "manage.py", "load_seed"], cwd=ROOT, env=env, capture_output=True,
        text=True, check=True,
    )  # fmt: skip
    assert "nothing created" in again.stdout


# --- Exports --------------------------------------------------------------------------------

FORMULA_PREFIXES = ["=", "+", "-", "@", "\t", "\r"]


@pytest.mark.parametrize("prefix", FORMULA_PREFIXES, ids=repr)
def test_every_text_cell_of_the_csv_is_defused(client, db, prefix):
    formula = prefix + 'HYPERLINK("https://evil.example/","x")'
    nation = NationFactory(iso2="ZZ", name=formula)
    pledge_type = PledgeTypeFactory(slug="troops")
    pledge = PledgeFactory(
        nation=nation,
        pledge_type=pledge_type,
        summary=formula,
        leader=LeaderFactory(nation=nation, name=formula),
    )
    pledge.conditions.add(Condition.objects.create(name=formula, description="d"))
    pledge.sources.add(SourceFactory(url=formula))
    response = client.get("/matrix.csv")
    assert response.status_code == 200
    header, row = list(csv.reader(io.StringIO(response.content.decode())))[:2]
    cells = dict(zip(header, row, strict=True))
    for column in ("nation", "conditions", "leader", "summary", "source_urls"):
        assert cells[column] == "'" + formula, column
    for column, value in cells.items():
        assert not value.startswith(tuple(FORMULA_PREFIXES)), column
    assert Pledge.objects.get().summary == formula  # the record itself is untouched


# --- Feeds ------------------------------------------------------------------------------------


def dated_feed(stub_server, name: str, count: int) -> str:
    """An RSS feed listing `count` entries oldest first, each with its date."""
    start = dt.datetime(2025, 9, 1, tzinfo=dt.UTC)
    items = "".join(
        f"<item><title>Story {i}</title><link>{stub_server.url(f'/articles/{i}.html')}</link>"
        f"<guid>{name}-{i}</guid>"
        f"<pubDate>{format_datetime(start + dt.timedelta(days=i))}</pubDate></item>"
        for i in range(count)
    )
    rss = (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>{name}</title><link>{stub_server.url('/')}</link><description>d</description>"
        f"{items}</channel></rss>"
    )
    return stub_server.add(
        f"/capped/{name}.xml", rss, content_type="application/rss+xml", etag=f'"{name}"'
    )


def test_a_poll_takes_at_most_the_cap_newest_first(client, db, stub_server, settings):
    settings.FEED_MAX_NEW_ENTRIES = 2
    feed = Feed.objects.create(url=dated_feed(stub_server, f"cap-{time.monotonic_ns()}", 5))
    polls = [services.feed_poll(feed.pk) for _ in range(4)]
    urls = [list(Article.objects.filter(pk__in=ids).values_list("url", flat=True)) for ids in polls]
    assert [len(batch) for batch in urls] == [2, 2, 1, 0]
    assert {u.rsplit("/", 1)[1] for u in urls[0]} == {"4.html", "3.html"}  # newest first
    assert {u.rsplit("/", 1)[1] for u in urls[2]} == {"0.html"}
    feed.refresh_from_db()
    assert feed.entries_waiting == 0
    assert feed.etag  # nothing waits: conditional requests again


def test_the_feeds_page_says_how_many_entries_wait(client, db, stub_server, settings):
    settings.FEED_MAX_NEW_ENTRIES = 2
    feed = Feed.objects.create(url=dated_feed(stub_server, f"page-{time.monotonic_ns()}", 5))
    services.feed_poll(feed.pk)
    feed.refresh_from_db()
    assert feed.entries_waiting == 3 and feed.etag == ""
    client.force_login(User.objects.create_superuser("ed", password="a-long-editor-password"))
    page = client.get("/review/feeds/").content.decode()
    assert "3 more waiting for later polls" in page
    assert "at most 2 new entries from a feed, newest first" in page


# --- Time limits ------------------------------------------------------------------------------


def test_an_article_out_of_time_fails_with_its_reason_without_a_broker(db, stub_server, settings):
    """A text that takes longer to read than ARTICLE_TIME_LIMIT is stopped in eager mode too
    (no worker's soft limit), and the article says so instead of staying "fetching"."""
    settings.ARTICLE_TIME_LIMIT = 0.2
    settings.FETCH_TOTAL_DEADLINE = 10
    settings.FETCH_READ_TIMEOUT = 5
    sentence = "France will send troops to Ukraine if a ceasefire holds, officials said. "
    page = "<html><body><article><p>" + sentence * 40_000 + "</p></article></body></html>"
    url = stub_server.add(f"/long/{time.monotonic_ns()}.html", page)
    seconds, error = ingest_url(url)
    assert error == "1 of 1 URLs failed"
    article = Article.objects.get()
    assert article.status == Article.Status.FAILED, article.error
    assert "Stopped after 0.2 s" in article.error
    assert seconds < 30
    assert tasks.fetch_article.apply(args=[article.pk]).result is None  # nothing left to do


def test_a_text_past_the_extraction_cap_is_read_up_to_it_and_the_source_says_so(
    client, seeded, stub_server, settings
):
    settings.EXTRACT_MAX_CHARS = 2_000
    settings.FETCH_TOTAL_DEADLINE = 10
    paragraphs = [
        "France will send troops to Ukraine, the minister said on Monday.",
        *(
            f"Delegates from {n} towns discussed the {n}th draft of the harbour budget, "
            f"which would rise by {n} per cent over {n + 2} years."
            for n in range(3, 60)
        ),
        "Germany will send troops to Ukraine, the chancellor said on Friday.",
    ]
    html = (
        "<html><head><title>Security talks</title></head><body><article><h1>Security talks"
        "</h1>" + "".join(f"<p>{p}</p>" for p in paragraphs) + "</article></body></html>"
    )
    url = stub_server.add(f"/cap/{time.monotonic_ns()}.html", html)
    assert ingest_url(url)[1] == ""
    source = Article.objects.get().source
    assert source.extraction_cut_at and source.extraction_cut_at <= 2_000
    nations = set(source.candidates.values_list("nation__name", flat=True))
    assert "France" in nations and "Germany" not in nations
    client.force_login(User.objects.create_superuser("ed", password="a-long-editor-password"))
    page = client.get("/review/").content.decode()
    assert f"only in its first {source.extraction_cut_at} characters" in page
