"""The editors' review queue, article submission and feeds pages."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import Group, User
from django.core.management import call_command

from ingest.models import Article, Candidate, Feed
from pledges.models import Leader, Pledge, Quote, Source

HTMX = {"HX-Request": "true"}


@pytest.fixture
def extracted(seeded):
    """The seed article run through the extractor, as `make run` does."""
    call_command("ingest_file", "seeds/000_ac9b6a256edaf299.txt")
    return Candidate.objects.select_related("nation", "pledge_type")


def make_editor(username: str = "ed") -> User:
    user = User.objects.create_user(username, password="a-long-editor-password", is_staff=True)
    user.groups.add(Group.objects.get(name="Editors"))
    return user


@pytest.fixture
def editor_client(client, db):
    client.force_login(make_editor())
    return client


def candidate(iso2: str, slug: str) -> Candidate:
    return Candidate.objects.get(nation__iso2=iso2, pledge_type__slug=slug)


def test_queue_groups_candidates_by_source_with_evidence_marked(editor_client, extracted):
    html = editor_client.get("/review/").content.decode()
    assert f"{extracted.count()} candidates waiting" in html
    assert html.count('class="review-source"') == 1
    italy = candidate("IT", "troops")
    assert f'id="candidate-{italy.pk}"' in html
    assert "<mark>" in html and italy.evidence[:40] in html


def test_queue_lists_the_surest_candidates_first(editor_client, extracted):
    html = editor_client.get("/review/").content.decode()
    shown = [
        Candidate.objects.get(pk=int(pk))
        for pk in re.findall(r'<article class="candidate" id="candidate-(\d+)"', html)
    ]
    assert len(shown) == extracted.count()
    confidences = [c.confidence for c in shown]
    assert confidences == sorted(confidences, reverse=True)


def test_queue_is_for_editors_only(client, extracted):
    assert client.get("/review/").status_code == 302
    reader = User.objects.create_user("reader", password="another-long-password")
    client.force_login(reader)
    assert client.get("/review/").status_code == 403
    italy = candidate("IT", "troops")
    assert client.post(f"/review/candidates/{italy.pk}/accept/").status_code == 403
    assert Candidate.objects.get(pk=italy.pk).status == "pending"


def test_accept_puts_the_pledge_in_the_matrix(editor_client, extracted):
    Pledge.objects.all().delete()
    assert "Italy" not in editor_client.get("/").content.decode().split("<tbody")[-1]
    italy = candidate("IT", "troops")
    response = editor_client.post(f"/review/candidates/{italy.pk}/accept/", headers=HTMX)
    assert response.status_code == 200
    assert "Accepted: Italy · Troops · declined." in response.content.decode()
    assert "<html" not in response.content.decode()
    italy.refresh_from_db()
    assert italy.status == "accepted" and italy.decided_by.username == "ed"
    decision = italy.history.latest()
    assert (decision.status, decision.history_user.username) == ("accepted", "ed")
    assert decision.prev_record.status == "pending"
    assert italy.pledge.sources.get() == italy.source
    assert "Italy, Troops: declined" in editor_client.get("/").content.decode()


def test_quote_is_hidden_until_accepted_then_linked(editor_client, extracted):
    source = Source.objects.get()
    quote = Quote.objects.create(
        text="Italy will train Ukrainian pilots at home.",
        source=source,
        leader=Leader.objects.get(name="Giorgia Meloni"),
        reviewed=False,
    )
    italy = candidate("IT", "training")
    Candidate.objects.filter(pk=italy.pk).update(quote=quote)
    assert quote.text not in editor_client.get("/nations/IT/").content.decode()
    editor_client.post(f"/review/candidates/{italy.pk}/accept/")
    italy.refresh_from_db()
    assert quote in italy.pledge.quotes.all()
    assert quote.text in editor_client.get("/nations/IT/").content.decode()


def test_correct_then_accept(editor_client, extracted):
    germany = candidate("DE", "troops")
    response = editor_client.post(
        f"/review/candidates/{germany.pk}/accept/",
        {
            "nation": "DE",
            "pledge_type": "backstop",
            "stance": "conditional",
            "formality": "declaration",
            "conditions": "US backstop, Bundestag vote",
            "set_conditions": "true",
            "announced_on": "2025-09-04",
        },
    )
    assert response.status_code == 302
    pledge = Pledge.objects.get(nation__iso2="DE", pledge_type__slug="backstop")
    assert pledge.formality == "declaration"
    assert sorted(c.name for c in pledge.conditions.all()) == ["Bundestag vote", "US backstop"]


def test_bad_correction_is_400_and_changes_nothing(editor_client, extracted):
    italy = candidate("IT", "troops")
    response = editor_client.post(
        f"/review/candidates/{italy.pk}/accept/", {"nation": "ZZ"}, headers=HTMX
    )
    assert response.status_code == 400
    assert "Unknown nation code." in response.content.decode()
    assert Candidate.objects.get(pk=italy.pk).status == "pending"


def test_reject_keeps_it_off_the_matrix(editor_client, extracted):
    Pledge.objects.all().delete()
    italy = candidate("IT", "troops")
    response = editor_client.post(f"/review/candidates/{italy.pk}/reject/")
    assert response.status_code == 302
    assert Candidate.objects.get(pk=italy.pk).status == "rejected"
    assert not Pledge.objects.exists()


def test_second_decision_gets_a_clear_conflict(editor_client, extracted):
    italy = candidate("IT", "troops")
    editor_client.post(f"/review/candidates/{italy.pk}/reject/")
    response = editor_client.post(f"/review/candidates/{italy.pk}/accept/", headers=HTMX)
    assert response.status_code == 409
    assert "already rejected by ed" in response.content.decode()
    assert Candidate.objects.get(pk=italy.pk).status == "rejected"


def test_bulk_accept(editor_client, extracted):
    ids = list(Candidate.objects.filter(nation__iso2="IT").values_list("pk", flat=True))
    response = editor_client.post(
        "/review/bulk/", {"decision": "accept", "candidate": ids}, follow=True
    )
    assert f"Accepted {len(ids)} candidates." in response.content.decode()
    assert set(Candidate.objects.filter(pk__in=ids).values_list("status", flat=True)) == {
        "accepted"
    }


def test_bulk_without_ticks_says_so(editor_client, extracted):
    response = editor_client.post("/review/bulk/", {"decision": "reject"}, follow=True)
    assert "Tick at least one candidate first." in response.content.decode()
    assert not Candidate.objects.exclude(status="pending").exists()


def test_submit_url_shows_progress_until_done(
    editor_client, seeded, stub_server, settings, django_capture_on_commit_callbacks
):
    settings.FETCH_ALLOWED_HOSTS = ["127.0.0.1"]
    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(
            "/review/articles/new/", {"url": stub_server.url("/articles/11.html")}
        )
    article = Article.objects.get()
    assert response["Location"] == f"/review/articles/{article.pk}/"
    assert article.status == "done" and article.submitted_by.username == "ed"
    status = editor_client.get(response["Location"], headers=HTMX).content.decode()
    assert "Done" in status and "Review its candidates" in status
    assert 'hx-trigger="every 1s"' not in status  # polling stops once finished


def test_pending_article_keeps_polling(editor_client, seeded):
    article = Article.objects.create(url="https://news.example.org/a")
    html = editor_client.get(f"/review/articles/{article.pk}/", headers=HTMX).content.decode()
    assert 'hx-trigger="every 1s"' in html and "Queued" in html


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("javascript:alert(1)", ""),
        ("ftp://example.org/x", ""),
        ("not a url", ""),
    ],
)
def test_submit_refuses_bad_urls(editor_client, seeded, url, message):
    response = editor_client.post("/review/articles/new/", {"url": url})
    assert response.status_code == 400
    assert 'role="alert"' in response.content.decode()
    assert not Article.objects.exists()


def test_add_feed(editor_client, seeded, settings, stub_server, django_capture_on_commit_callbacks):
    settings.FETCH_ALLOWED_HOSTS = ["127.0.0.1"]
    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(
            "/review/feeds/", {"url": stub_server.url("/feeds/many.xml?n=2"), "title": ""}
        )
    assert response.status_code == 302
    feed = Feed.objects.get()
    assert feed.articles.count() == 2
    page = editor_client.get("/review/feeds/").content.decode()
    assert "Stub Gazette: Europe" in page
    again = editor_client.post("/review/feeds/", {"url": stub_server.url("/feeds/many.xml?n=2")})
    assert again.status_code == 400
    assert "This feed is already being polled." in again.content.decode()


def test_feed_errors_are_shown_to_editors(editor_client, seeded):
    Feed.objects.create(url="https://feeds.example.org/rss", last_error="The server said 500.")
    assert "The server said 500." in editor_client.get("/review/feeds/").content.decode()


def test_queue_query_count_is_flat(editor_client, extracted, django_assert_max_num_queries):
    with django_assert_max_num_queries(12):
        assert editor_client.get("/review/").status_code == 200
