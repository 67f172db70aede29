"""A public record readers can trust: one statement is one pledge, every change is dated and
explained in public, and the record says how fresh and how settled each cell is."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import Group, User
from django.test import Client

from ingest import services
from ingest.extractor.dates import statement_date
from ingest.models import Candidate
from pledges.models import Nation, Pledge, PledgeType, Source


@pytest.fixture
def editor(db):
    user = User.objects.create_user("ed", password="a-long-editor-password", is_staff=True)
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
