"""A public record readers can trust: one statement is one pledge, every change is dated and
explained in public, and the record says how fresh and how settled each cell is."""

from __future__ import annotations

import datetime as dt
import re

import feedparser
import pytest
from django.contrib.auth.models import Group, User
from django.test import Client
from django.utils import timezone

from ingest import services
from ingest.extractor.dates import statement_date
from ingest.models import Candidate
from pledges.models import Nation, Pledge, PledgeType, Source

from .admin_forms import pledge_form


@pytest.fixture
def editor(db):
    user = User.objects.create_user(
        "zebulon-the-editor", password="a-long-editor-password", is_staff=True
    )
    user.groups.add(Group.objects.get(name="Editors"))
    return user


@pytest.fixture
def editor_client(editor):
    client = Client()
    client.force_login(editor)
    return client


def candidate_from(source: Source, evidence: str, *, nation="FR", kind="troops", stance="open"):
    return Candidate.objects.create(
        source=source,
        nation=Nation.objects.get(iso2=nation),
        pledge_type=PledgeType.objects.get(slug=kind),
        stance=stance,
        confidence=0.9,
        evidence=evidence,
        evidence_start=0,
        evidence_end=len(evidence),
    )


def other_outlet(published_on: dt.date, url: str = "https://news.example.org/paris") -> Source:
    return Source.objects.create(
        url=url, outlet="Example News", title="Allies meet in Paris", published_on=published_on
    )


# --- One statement, one row -------------------------------------------------------------------


def test_the_seed_articles_own_candidates_are_already_recorded(seeded, editor, editor_client):
    seed_source = Source.objects.get(seed_key="seed-article")
    assert services.source_extract(seed_source.pk) > 0
    france = Candidate.objects.get(
        source=seed_source, nation__iso2="FR", pledge_type__slug="troops"
    )
    queue = editor_client.get("/review/").content.decode()
    assert "Already recorded:" in queue and "Add as evidence" in queue
    recorded = Pledge.objects.get(nation__iso2="FR", pledge_type__slug="troops")
    assert f'href="{recorded.get_absolute_url()}"' in queue

    response = editor_client.post(f"/review/candidates/{france.pk}/accept/")
    assert response.status_code == 302
    assert Pledge.objects.filter(nation__iso2="FR", pledge_type__slug="troops").count() == 1
    france.refresh_from_db()
    assert france.status == "accepted" and france.pledge == recorded
    page = editor_client.get(response.url).content.decode()
    assert "Added as evidence to France · Troops · open (4 September 2025)." in page


def test_another_outlets_report_of_the_same_statement_is_evidence(seeded, editor):
    report = other_outlet(dt.date(2025, 9, 5))
    candidate = candidate_from(report, "France is open to deploying troops, Macron said.")
    pledge = services.candidate_accept(candidate.pk, editor=editor)
    assert pledge.added_as_evidence
    assert pledge.seed_key == "fr-troops"
    assert set(pledge.sources.values_list("url", flat=True)) == {
        report.url,
        Source.objects.get(seed_key="seed-article").url,
    }


def test_a_statement_weeks_later_is_a_new_pledge_dated_by_its_sentence(seeded, editor):
    report = other_outlet(dt.date(2025, 12, 5))  # a Friday
    evidence = "- Macron said on Thursday France would send troops\n- once a ceasefire holds"
    candidate = candidate_from(report, evidence, stance="committed")
    pledge = services.candidate_accept(candidate.pk, editor=editor)
    assert not pledge.added_as_evidence
    assert pledge.announced_on == dt.date(2025, 12, 4)
    assert (
        pledge.summary == "Macron said on Thursday France would send troops once a ceasefire holds."
    )
    assert Pledge.objects.filter(nation__iso2="FR", pledge_type__slug="troops").count() == 2


def test_the_accept_form_offers_the_statements_date_and_an_editable_sentence(seeded, editor_client):
    report = other_outlet(dt.date(2025, 12, 5))
    candidate_from(
        report, "* On 3 December, Italy ruled out troops", nation="IT", stance="declined"
    )
    queue = editor_client.get("/review/").content.decode()
    assert 'name="announced_on" value="2025-12-03"' in queue
    assert ">On 3 December, Italy ruled out troops.</textarea>" in queue


def test_the_editors_summary_is_the_pledges(seeded, editor_client):
    report = other_outlet(dt.date(2025, 12, 5))
    candidate = candidate_from(report, "Italy rules out troops", nation="IT", stance="declined")
    response = editor_client.post(
        f"/review/candidates/{candidate.pk}/accept/",
        {"summary": "Italy will not send troops, Meloni said.", "set_conditions": ""},
    )
    assert response.status_code == 302
    candidate.refresh_from_db()
    assert candidate.pledge.summary == "Italy will not send troops, Meloni said."


@pytest.mark.parametrize(
    ("sentence", "published", "expected"),
    [
        ("Macron said on Thursday", dt.date(2025, 9, 5), dt.date(2025, 9, 4)),
        ("Merz sagte am Donnerstag", dt.date(2025, 9, 5), dt.date(2025, 9, 4)),
        ("Le 4 septembre, la France", dt.date(2025, 9, 10), dt.date(2025, 9, 4)),
        ("On September 4, 2025, he said", dt.date(2025, 10, 1), dt.date(2025, 9, 4)),
        ("On 30 December he said", dt.date(2026, 1, 2), dt.date(2025, 12, 30)),
        ("She said yesterday", dt.date(2025, 9, 5), dt.date(2025, 9, 4)),
        ("Rome may send 5 ships", dt.date(2025, 9, 5), None),
        ("No day at all", dt.date(2025, 9, 5), None),
    ],
)
def test_statement_dates(sentence, published, expected):
    assert statement_date(sentence, published) == expected


# --- A public changelog ----------------------------------------------------------------------


def correct_in_admin(client: Client, pledge: Pledge, reason: str, **changes) -> None:
    data = pledge_form(pledge, change_reason=reason, **changes)
    response = client.post(f"/admin/pledges/pledge/{pledge.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:3000]


def backdate_history(day: dt.date) -> None:
    """As if the seed had been loaded on `day`."""
    when = timezone.make_aware(dt.datetime.combine(day, dt.time(12)))
    Pledge.history.update(history_date=when)


@pytest.fixture
def corrected(seeded, editor_client):
    """The seed loaded on 6 September 2025; today an editor corrects Italy's troops stance
    and removes France's guarantee."""
    backdate_history(dt.date(2025, 9, 6))
    italy = Pledge.objects.get(nation__iso2="IT", pledge_type__slug="troops")
    correct_in_admin(editor_client, italy, "Meloni set a condition.", stance="conditional")
    france = Pledge.objects.get(nation__iso2="FR", pledge_type__slug="guarantee")
    response = editor_client.post(
        f"/admin/pledges/pledge/{france.pk}/delete/",
        {"post": "yes", "change_reason": "Not a French pledge: the 26 as a group."},
    )
    assert response.status_code == 302
    return italy


def test_a_cell_tells_its_history_with_reasons(corrected, client):
    html = client.get("/cells/IT/troops/").content.decode()
    assert "How this record changed" in html
    assert '<strong class="change-kind">Correction</strong>: stance <del>declined</del> → ' in (
        html
    )
    assert "<ins>conditional</ins>" in html
    assert "Reason: Meloni set a condition." in html
    assert "New statement" in html and "6 Sep 2025" in html
    assert "zebulon" not in html  # reasons are public, editors' names are not


def test_a_removed_statement_stays_visible_struck_through(corrected, client):
    html = client.get("/cells/FR/guarantee/").content.decode()
    assert "No stated position" in html
    assert '<strong class="change-kind">Removed</strong>: <del>committed, made on 4 September' in (
        html
    )
    assert "Reason: Not a French pledge: the 26 as a group." in html
    nation = client.get("/nations/FR/").content.decode()
    assert "Not a French pledge" in nation and "France · Guarantee" in nation


def test_as_of_says_what_nations_had_said_and_what_the_record_showed(corrected, client):
    html = client.get("/cells/IT/troops/?as_of=2025-10-01").content.decode()
    # What Italy had said by then, as the record stands today (corrected) ...
    assert "stance-conditional" in html.split("How this record changed")[0]
    # ... and what the record itself showed on that day, before the correction.
    shown = re.search(r'<p class="as-recorded">(.*?)</p>', html, re.S).group(1)
    assert "On 1 October 2025 this record itself showed" in shown
    assert "declined" in shown and "it has been corrected since" in shown
    before = client.get("/cells/IT/troops/?as_of=2025-09-05").content.decode()
    assert "this record itself showed no position" in before


# --- What changed since ----------------------------------------------------------------------


def test_changes_since_a_date_filterable_like_the_matrix(corrected, client):
    everything = client.get("/changes/", {"since": "2025-01-01"}).content.decode()
    assert everything.count('class="change change-statement"') == 10
    assert everything.count('class="change change-correction"') == 1
    assert everything.count('class="change change-removal"') == 1
    recent = client.get("/changes/").content.decode()  # the last 30 days
    assert "change-statement" not in recent and "change-correction" in recent
    italy = client.get("/changes/", {"since": "2025-01-01", "nation": "IT"}).content.decode()
    assert italy.count('class="change ') == 4 and "France ·" not in italy
    bloc = client.get("/changes/", {"since": "2025-01-01", "bloc": "g7", "type": "guarantee"})
    assert bloc.content.decode().count('class="change ') == 4  # FR, DE, US and FR removed
    assert client.get("/changes/", {"since": "yesterday"}).status_code == 400
    assert client.get("/changes/", {"nation": "XX"}).status_code == 400


def test_the_matrix_compares_two_dates(seeded, client, editor):
    Pledge.objects.create(
        nation=Nation.objects.get(iso2="IT"),
        pledge_type=PledgeType.objects.get(slug="troops"),
        stance="open",
        announced_on=dt.date(2025, 10, 1),
    )
    html = client.get("/", {"as_of": "2025-10-15", "compare": "2025-09-10"}).content.decode()
    italy = re.search(r'aria-label="Italy, Troops:[^"]*"', html).group(0)
    assert "open" in italy and "was declined" in italy
    assert '<span class="mark mark-changed">was declined</span>' in html
    assert html.count('class="mark mark-changed"') == 1 + 1  # the cell and the legend
    assert "Compared with" in html
    assert client.get("/", {"compare": "someday"}).status_code == 400


# --- Alerts ----------------------------------------------------------------------------------


def test_atom_feeds_of_changes_are_valid_and_stable(corrected, client):
    first = client.get("/changes/feed.atom", {"since": "2025-01-01"})
    assert first.status_code == 200
    assert first["Content-Type"].startswith("application/atom+xml")
    feed = feedparser.parse(first.content)
    assert not feed.bozo, feed.bozo_exception
    assert feed.version == "atom10"
    titles = [entry.title for entry in feed.entries]
    assert "Italy · Troops: corrected from declined to conditional" in titles
    ids = [entry.id for entry in feed.entries]
    assert len(ids) == len(set(ids)) == 12
    assert all(i.startswith("tag:pledgewatch,2025:change/") for i in ids)
    italy = next(e for e in feed.entries if e.title.startswith("Italy · Troops: corrected"))
    assert italy.link == "http://testserver/cells/IT/troops/"
    assert "Reason: Meloni set a condition." in italy.summary
    again = feedparser.parse(client.get("/changes/feed.atom", {"since": "2025-01-01"}).content)
    assert [entry.id for entry in again.entries] == ids

    germany = client.get("/changes/feed.atom", {"nation": "DE", "since": "2025-01-01"})
    germany = feedparser.parse(germany.content)
    assert not germany.bozo and "Germany" in germany.feed.title
    assert {e.title.split(" · ")[0] for e in germany.entries} == {"Germany"}
    assert client.get("/changes/feed.atom", {"nation": "XX"}).status_code == 404


def test_changes_as_json(corrected, client):
    body = client.get("/changes.json", {"nation": "IT", "since": "2025-01-01"}).json()
    correction = next(c for c in body["changes"] if c["kind"] == "correction")
    assert correction["fields"] == [{"field": "stance", "old": "declined", "new": "conditional"}]
    assert correction["reason"] == "Meloni set a condition."
    assert correction["cell_url"] == "http://testserver/cells/IT/troops/"
    assert client.get("/changes.json", {"since": "soon"}).status_code == 400


# --- Freshness and disagreement --------------------------------------------------------------


def test_old_evidence_looks_stale_and_can_be_filtered(seeded, client, settings):
    settings.STALE_AFTER_DAYS = 90
    html = client.get("/", {"as_of": "2026-06-01"}).content.decode()
    assert html.count('<span class="mark mark-stale">stale</span>') == 10 + 1  # cells, legend
    assert "newest evidence 8 months old, stale" in html
    assert "Record last updated" in html
    fresh = client.get("/", {"as_of": "2025-09-30"}).content.decode()
    assert fresh.count('<span class="mark mark-stale">stale</span>') == 1  # the legend only
    stale_only = client.get("/", {"as_of": "2025-09-30", "freshness": "stale"}).content.decode()
    assert "No nation has a stated position matching these filters." in stale_only
    cell = client.get("/cells/IT/troops/", {"as_of": "2026-06-01"}).content.decode()
    assert "Newest evidence:" in cell and "5 September 2025" in cell and "mark-stale" in cell


def test_disagreeing_evidence_makes_a_cell_contested_until_settled(seeded, client):
    germany_troops = {
        "nation": Nation.objects.get(iso2="DE"),
        "pledge_type": PledgeType.objects.get(slug="troops"),
    }
    other = Pledge.objects.create(
        **germany_troops, stance="declined", announced_on=dt.date(2025, 9, 10)
    )
    html = client.get("/", {"nation": "DE"}).content.decode()
    assert "Germany, Troops: declined" in html and ", contested" in html
    panel = client.get("/cells/DE/troops/").content.decode()
    assert "Sources of the same period disagree" in panel
    side = panel.split('class="side-by-side"')[1].split("How this record changed")[0]
    assert "stance-declined" in side and "stance-conditional" in side
    other.settles_disagreement = True
    other.save()
    assert ", contested" not in client.get("/", {"nation": "DE"}).content.decode()
    assert "disagree" not in client.get("/cells/DE/troops/").content.decode()


def test_the_methodology_page(db, client):
    html = client.get("/methodology/").content.decode()
    for heading in ("Statements", "Corrections and removals", "answers two questions"):
        assert heading in html
    assert "more than 180 days old" in html


# --- Query counts on a large record ---------------------------------------------------------


@pytest.fixture
def many_changes(big_matrix):
    """1,500 statements on 50 nations, each with the history row its creation writes."""
    Pledge.history.bulk_history_create(list(Pledge.objects.all()))
    return big_matrix


@pytest.mark.parametrize(
    ("path", "queries"),
    [
        # The changes (their pledges' histories, nations, types), the last update, and the
        # form's nations, blocs and types.
        ("/changes/?since=2000-01-01", 8),
        ("/changes/?since=2000-01-01&nation={0}&nation={1}&type=kind-1", 10),
        ("/changes/feed.atom?since=2000-01-01", 4),
        ("/changes.json?since=2000-01-01", 4),
    ],
)
def test_change_pages_query_counts_do_not_grow(
    many_changes, client, path, queries, django_assert_max_num_queries
):
    path = path.format(*(nation.iso2 for nation in many_changes["nations"][:2]))
    with django_assert_max_num_queries(queries):
        response = client.get(path)
    assert response.status_code == 200
    assert len(response.content) > 5_000
