"""`manage.py load_seed`: every nation, the blocs, and what the seed article states."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from pledges.models import Bloc, Leader, Nation, Pledge, PledgeType, Quote, Source
from pledges.seeding import seed_load


def positions() -> set[tuple[str, str, str]]:
    return set(Pledge.objects.values_list("nation__iso2", "pledge_type__slug", "stance"))


def test_loads_every_iso_nation_with_aliases(seeded):
    assert Nation.objects.count() >= 249
    italy = Nation.objects.get(iso2="IT")
    assert {"Italian", "Rome"} <= set(italy.aliases)
    assert Nation.objects.get(iso2="GB").name == "United Kingdom"


def test_loads_the_ten_pledge_types_in_order(seeded):
    assert list(PledgeType.objects.values_list("slug", flat=True)) == [
        "troops", "air", "sea", "training", "monitoring",
        "equipment", "financing", "sanctions", "backstop", "guarantee",
    ]  # fmt: skip


def test_blocs(seeded):
    assert {"eu", "nato", "g7", "coalition-of-the-willing"} <= set(
        Bloc.objects.values_list("slug", flat=True)
    )
    coalition = Bloc.objects.get(slug="coalition-of-the-willing")
    assert {"FR", "GB", "DE", "IT"} <= set(coalition.nations.values_list("iso2", flat=True))
    assert Bloc.objects.get(slug="eu").nations.count() == 27


def test_the_pledges_the_seed_article_states(seeded):
    assert positions() == {
        ("FR", "troops", "open"),
        ("GB", "troops", "open"),
        ("IT", "troops", "declined"),
        ("IT", "training", "open"),
        ("IT", "monitoring", "open"),
        ("DE", "troops", "conditional"),
        ("DE", "guarantee", "committed"),
        ("FR", "guarantee", "committed"),
        ("US", "guarantee", "open"),
        ("US", "sanctions", "committed"),
    }
    assert not Pledge.objects.filter(nation__iso2__in=["RU", "UA"]).exists()


def test_quotes_with_speakers(seeded):
    speakers = sorted(q.speaker for q in Quote.objects.select_related("leader"))
    assert speakers == sorted(
        ["Vladimir Putin"] * 2
        + ["Emmanuel Macron"]
        + ["Volodymyr Zelenskyy"] * 2
        + ["a White House official"]
    )
    source = Source.objects.get()
    assert all(q.text in source.text for q in Quote.objects.all())


def test_leaders_named_in_the_article(seeded):
    names = set(Leader.objects.values_list("name", flat=True))
    assert {"Emmanuel Macron", "Giorgia Meloni", "Vladimir Putin", "Donald Trump"} <= names


def test_second_load_creates_nothing_and_keeps_editors_changes(seeded):
    Pledge.objects.filter(nation__iso2="FR", pledge_type__slug="troops").update(
        summary="Edited by an editor."
    )
    Bloc.objects.get(slug="g7").nations.remove(Nation.objects.get(iso2="IT"))
    counts = [m.objects.count() for m in (Nation, Leader, Pledge, Quote, Source)]
    report = seed_load()
    assert str(report) == "Seed data already loaded; nothing created."
    assert [m.objects.count() for m in (Nation, Leader, Pledge, Quote, Source)] == counts
    assert Pledge.objects.get(nation__iso2="FR", pledge_type__slug="troops").summary == (
        "Edited by an editor."
    )
    assert not Bloc.objects.get(slug="g7").nations.filter(iso2="IT").exists()


@pytest.mark.django_db
def test_command_reports_what_it_created(capsys):
    call_command("load_seed")
    assert "Created" in capsys.readouterr().out
    call_command("load_seed")
    assert "nothing created" in capsys.readouterr().out
