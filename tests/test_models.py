"""Database constraints refuse what must never happen, whatever code path writes."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import IntegrityError, transaction

from pledges.models import Leader, Pledge, Quote, Source

from .factories import LeaderFactory, NationFactory, PledgeFactory, PledgeTypeFactory, SourceFactory

pytestmark = pytest.mark.django_db


def refused(write) -> bool:
    try:
        with transaction.atomic():
            write()
    except IntegrityError:
        return True
    return False


def test_two_sources_cannot_share_a_canonical_url():
    SourceFactory(url="https://news.example.org/a")
    assert refused(lambda: Source.objects.create(url="https://news.example.org/a", text="b"))


def test_a_pledge_needs_a_nation_and_a_type():
    pledge_type = PledgeTypeFactory()
    nation = NationFactory()
    day = dt.date(2025, 9, 4)
    assert refused(
        lambda: Pledge.objects.create(pledge_type=pledge_type, stance="open", announced_on=day)
    )
    assert refused(lambda: Pledge.objects.create(nation=nation, stance="open", announced_on=day))


def test_unknown_stance_or_formality_is_refused():
    pledge = PledgeFactory()
    assert refused(lambda: Pledge.objects.filter(pk=pledge.pk).update(stance="maybe"))
    assert refused(lambda: Pledge.objects.filter(pk=pledge.pk).update(formality="rumour"))


def test_same_statement_twice_is_refused():
    pledge = PledgeFactory()
    assert refused(
        lambda: PledgeFactory(
            nation=pledge.nation,
            pledge_type=pledge.pledge_type,
            stance=pledge.stance,
            announced_on=pledge.announced_on,
        )
    )


def test_a_quote_needs_a_speaker_and_is_stored_once_per_source():
    source = SourceFactory()
    assert refused(lambda: Quote.objects.create(text="Words.", source=source))
    Quote.objects.create(text="Words.", source=source, speaker_role="an official")
    assert refused(
        lambda: Quote.objects.create(text="Words.", source=source, speaker_role="another official")
    )


def test_a_quote_takes_its_leaders_nation():
    leader = LeaderFactory()
    quote = Quote.objects.create(text="We will.", source=SourceFactory(), leader=leader)
    assert quote.nation == leader.nation


def test_leader_term_cannot_end_before_it_starts():
    nation = NationFactory()
    assert refused(
        lambda: Leader.objects.create(
            name="X",
            nation=nation,
            in_office_from=dt.date(2025, 1, 1),
            in_office_to=dt.date(2024, 1, 1),
        )
    )


def test_nation_code_must_be_two_capitals():
    assert refused(lambda: NationFactory(iso2="it", iso3="ITX"))


def test_source_hash_ignores_whitespace_and_case():
    a = SourceFactory(text="Italy  rules out\ntroops.")
    b = SourceFactory(text="italy rules out troops.")
    assert a.content_hash == b.content_hash
