"""`manage.py load_seed`: every nation, the blocs, and what the seed article states."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import Client
from django.urls import reverse

from pledges.models import Bloc, Leader, Nation, Pledge, PledgeType, Quote, Source
from pledges.seeding import seed_load

from .admin_forms import pledge_form


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


def every_table() -> dict[str, list[str]]:
    """Every row of every table of the curated app: rows, their history, links, versions."""
    return {
        model._meta.db_table: sorted(repr(row) for row in model.objects.values_list())
        for model in apps.get_app_config("pledges").get_models(include_auto_created=True)
    }


def test_seeding_never_undoes_an_editor(admin_client, seeded):
    """Edits, deletions and additions made in the admin survive two more loads untouched."""
    britain = Pledge.objects.get(nation__iso2="GB", pledge_type__slug="troops")
    url = reverse("admin:pledges_pledge_change", args=[britain.pk])
    form = pledge_form(britain, stance="committed", change_reason="The source says so.")
    assert admin_client.post(url, form).status_code == 302
    italy_troops = Pledge.objects.get(nation__iso2="IT", pledge_type__slug="troops")
    url = reverse("admin:pledges_pledge_delete", args=[italy_troops.pk])
    response = admin_client.post(url, {"post": "yes", "change_reason": "Not in the source."})
    assert response.status_code == 302
    poland = Pledge(
        nation=Nation.objects.get(iso2="PL"),
        pledge_type=PledgeType.objects.get(slug="troops"),
        stance="declined",
        announced_on=dt.date(2025, 9, 4),
    )
    form = pledge_form(poland, summary="Poland will not send troops.")
    assert admin_client.post(reverse("admin:pledges_pledge_add"), form).status_code == 302
    macron = Leader.objects.get(name="Emmanuel Macron")
    url = reverse("admin:pledges_leader_change", args=[macron.pk])
    leader_form = {
        "name": "Emmanuel Jean-Michel Macron",
        "nation": macron.nation_id,
        "office": macron.office,
        "in_office_from": macron.in_office_from.isoformat(),
        "in_office_to": "",
        "aliases": json.dumps(macron.aliases),
    }
    assert admin_client.post(url, leader_form).status_code == 302
    lecornu = Leader.objects.get(name="Sébastien Lecornu")
    url = reverse("admin:pledges_leader_delete", args=[lecornu.pk])
    assert admin_client.post(url, {"post": "yes"}).status_code == 302
    g7 = Bloc.objects.get(slug="g7")
    assert admin_client.post(reverse("admin:pledges_bloc_delete", args=[g7.pk]), {"post": "yes"})
    Source.objects.filter(seed_key="seed-article").update(title="Retitled by an editor")

    edited = every_table()
    assert str(seed_load()) == "Seed data already loaded; nothing created."
    assert str(seed_load()) == "Seed data already loaded; nothing created."
    assert every_table() == edited
    cell = Client().get("/cells/GB/troops/").content.decode()
    assert "committed" in cell
    assert not Pledge.objects.filter(nation__iso2="IT", pledge_type__slug="troops").exists()
    assert not Leader.objects.filter(name__in=["Emmanuel Macron", "Sébastien Lecornu"]).exists()
    assert not Bloc.objects.filter(slug="g7").exists()


def test_a_fresh_database_loads_everything_from_the_seed_keys(db):
    report = seed_load()
    assert report.created["pledges"] == 10 and report.created["quotes"] == 6
    assert Pledge.objects.filter(seed_key="gb-troops", stance="open").exists()
    source = Source.objects.get(seed_key="seed-article")
    assert source.outlet == "SBS News"
    assert source.url.startswith("https://www.sbs.com.au/news/article/")


@pytest.mark.django_db(transaction=True)
def test_rows_an_earlier_load_created_get_their_seed_keys():
    """A database seeded before seed keys: the migration finds its rows by what the old loader
    matched on, so the next load recognises them, and gives the seed source its address."""
    before = [("pledges", "0007_source_extraction_cut_at")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old = executor.loader.project_state(before).apps
    nation = old.get_model("pledges", "Nation").objects.create(iso2="GB", iso3="GBR", name="UK")
    troops = old.get_model("pledges", "PledgeType").objects.create(
        slug="troops", name="Troops", description="d"
    )
    source = old.get_model("pledges", "Source").objects.create(
        url="file:seeds/000_ac9b6a256edaf299.txt", outlet="Seed article", text="x"
    )
    pledge = old.get_model("pledges", "Pledge").objects.create(
        nation=nation, pledge_type=troops, stance="open", announced_on=dt.date(2025, 9, 4)
    )
    pledge.sources.add(source)
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes("pledges"))

    assert Pledge.objects.get().seed_key == "gb-troops"
    assert Nation.objects.get().seed_key == "GB"
    assert PledgeType.objects.get().seed_key == "troops"
    migrated = Source.objects.get()
    assert migrated.seed_key == "seed-article"
    assert migrated.outlet == "SBS News" and migrated.url.startswith("https://www.sbs.com.au/")
    Pledge.objects.update(stance="committed")  # an editor's correction
    seed_load()
    assert Pledge.objects.filter(nation__iso2="GB", pledge_type__slug="troops").count() == 1
