"""factory_boy factories for the curated data model."""

from __future__ import annotations

import datetime as dt

import factory

from pledges.models import (
    Bloc,
    Condition,
    Formality,
    Leader,
    Nation,
    Pledge,
    PledgeType,
    Quote,
    Source,
    Stance,
)


def _iso2(n: int) -> str:
    return chr(65 + n // 26 % 26) + chr(65 + n % 26)


class BlocFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Bloc
        django_get_or_create = ["slug"]

    slug = factory.Sequence(lambda n: f"bloc-{n}")
    name = factory.Sequence(lambda n: f"Bloc {n}")


class NationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Nation
        django_get_or_create = ["iso2"]

    iso2 = factory.Sequence(_iso2)
    iso3 = factory.LazyAttribute(lambda o: o.iso2 + "X")
    name = factory.LazyAttribute(lambda o: f"Nation {o.iso2}")


class LeaderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Leader

    name = factory.Sequence(lambda n: f"Leader {n}")
    nation = factory.SubFactory(NationFactory)
    office = "Prime Minister"


class PledgeTypeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PledgeType
        django_get_or_create = ["slug"]

    slug = factory.Sequence(lambda n: f"type-{n}")
    name = factory.LazyAttribute(lambda o: o.slug.replace("-", " ").title())
    description = factory.LazyAttribute(lambda o: f"Pledges of kind {o.slug}.")
    order = factory.Sequence(lambda n: n * 10)


class ConditionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Condition

    name = factory.Sequence(lambda n: f"Condition {n}")


class SourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Source

    url = factory.Sequence(lambda n: f"https://news.example.org/story/{n}")
    outlet = "Example News"
    title = factory.Sequence(lambda n: f"Story {n}")
    published_on = dt.date(2025, 9, 5)
    text = factory.Sequence(lambda n: f"Story {n} text.")


class QuoteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Quote

    text = factory.Sequence(lambda n: f"We will stand by our partners, number {n}.")
    leader = factory.SubFactory(LeaderFactory)
    source = factory.SubFactory(SourceFactory)
    said_on = dt.date(2025, 9, 4)


class PledgeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Pledge
        skip_postgeneration_save = True

    nation = factory.SubFactory(NationFactory)
    pledge_type = factory.SubFactory(PledgeTypeFactory)
    stance = Stance.OPEN
    formality = Formality.STATEMENT
    announced_on = dt.date(2025, 9, 4)
    summary = "Said it is open to it."

    @factory.post_generation
    def sources(self, create, extracted, **kwargs):
        if create and extracted:
            self.sources.add(*extracted)

    @factory.post_generation
    def quotes(self, create, extracted, **kwargs):
        if create and extracted:
            self.quotes.add(*extracted)

    @factory.post_generation
    def conditions(self, create, extracted, **kwargs):
        if create and extracted:
            self.conditions.add(*extracted)
