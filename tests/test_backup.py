"""`manage.py backup_data` / `restore_data`: every curated row, its history and links come
back exactly; a non-empty database and a damaged file are refused with nothing changed."""

from __future__ import annotations

import gzip
import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import psycopg
import pytest
from django.contrib.auth.models import Group, User
from django.core.management import CommandError, call_command
from django.db import connection

from ingest import services
from ingest.models import Article, Candidate, Feed
from pledges.backup import backup_models
from pledges.models import Bloc, Formality, Nation, Pledge, PledgeType, Source

from .services import require_postgres

ROOT = Path(__file__).resolve().parent.parent


def snapshot() -> dict[str, list[dict]]:
    """Every row of every table the backup covers, by primary key, plus users' groups."""
    tables = {
        model._meta.label_lower: list(model._default_manager.order_by("pk").values())
        for model in backup_models()
    }
    tables["groups of users"] = sorted(User.groups.through.objects.values_list("user", "group"))
    return tables


def read_lines(path: Path) -> list[str]:
    return gzip.decompress(path.read_bytes()).decode().splitlines()


def wipe() -> None:
    """Empty every table the backup covers, as a newly migrated database is."""
    User.groups.through.objects.all().delete()
    User.user_permissions.through.objects.all().delete()
    for model in reversed(backup_models()):
        model._default_manager.all()._raw_delete(connection.alias)


@pytest.fixture
def curated(seeded):
    """Seed data, a generated data set, an editor's changes in history, and ingestion state
    with a decided candidate."""
    call_command("generate_demo_data", scale=0.01)
    editor = User.objects.create_user("alice", password="a long enough passphrase")
    editor.groups.add(Group.objects.get(name="Editors"))
    pledge = Pledge.objects.filter(nation__iso2="IT").first()
    pledge._history_user = editor
    pledge.formality = Formality.DECLARATION
    pledge.summary = "Meloni: no Italian soldiers — «nessun soldato» 🇮🇹"
    pledge.save()
    italy = Nation.objects.get(iso2="IT")
    italy._history_user = editor
    italy.blocs.add(Bloc.objects.create(slug="med", name="Mediterranean group"))
    feed = Feed.objects.create(url="https://news.example.org/feed.xml", last_error="Timed out")
    source = Source.objects.create(url="https://news.example.org/a", title="A", text="Text")
    article = Article.objects.create(url=source.url, source=source, status="done")
    article.feeds.add(feed)
    candidate = Candidate.objects.create(
        source=source,
        nation=Nation.objects.get(iso2="PL"),
        pledge_type=PledgeType.objects.get(slug="training"),
        stance="open",
        confidence=0.8,
        evidence="Poland is ready to train Ukrainian brigades.",
        evidence_start=0,
        evidence_end=44,
        conditions=["a ceasefire"],
    )
    services.candidate_accept(candidate.pk, editor=editor)
    return editor


def test_round_trip_gives_back_every_row(curated, tmp_path):
    before = snapshot()
    assert len(before["pledges.pledge"]) > 1000 and before["pledges.historicalpledge"]
    assert before["pledges.pledge_quotes"] and before["pledges.historicalnation_blocs"]
    path = tmp_path / "backup.jsonl.gz"
    call_command("backup_data", path)
    wipe()
    assert not any(rows for rows in snapshot().values())
    call_command("restore_data", path)
    after = snapshot()
    assert after.keys() == before.keys()
    for table in before:
        for old, new in zip(before[table], after[table], strict=True):
            assert new == old, (table, {k: (old[k], new[k]) for k in old if old[k] != new[k]})
    # The editor can still log in, and new rows get fresh ids (sequences were reset).
    assert User.objects.get(username="alice").check_password("a long enough passphrase")
    Pledge.objects.create(
        nation=Nation.objects.get(iso2="IT"),
        pledge_type=PledgeType.objects.get(slug="air"),
        stance="open",
        announced_on="2030-01-01",
    )


def test_every_field_of_every_table_is_in_the_file(curated, tmp_path):
    path = tmp_path / "backup.jsonl.gz"
    call_command("backup_data", path)
    lines = [json.loads(line) for line in read_lines(path)]
    header, rows, trailer = lines[0], lines[1:-1], lines[-1]
    assert header["format"] == "pledgewatch-backup"
    assert trailer["counts"] == {
        model._meta.label_lower: model._default_manager.count() for model in backup_models()
    }
    seen = {row["model"]: row for row in rows}
    for model in backup_models():
        row = seen[model._meta.label_lower]
        expected = {f.name for f in model._meta.concrete_fields if not f.primary_key}
        if model is User:
            expected |= {"groups", "user_permissions"}
        assert set(row["fields"]) == expected, model


def test_refuses_a_database_with_data(curated, tmp_path):
    path = tmp_path / "backup.jsonl.gz"
    call_command("backup_data", path)
    before = snapshot()
    with pytest.raises(CommandError, match="Refusing to restore into a database that already"):
        call_command("restore_data", path)
    assert snapshot() == before


def test_a_truncated_file_restores_nothing(curated, tmp_path):
    path = tmp_path / "backup.jsonl.gz"
    call_command("backup_data", path)
    lines = [line + "\n" for line in read_lines(path)]
    cut = tmp_path / "cut.jsonl.gz"
    with gzip.open(cut, "wt", encoding="utf-8") as out:
        out.writelines(lines[: len(lines) // 2])
    wipe()
    with pytest.raises(CommandError, match="ends early"):
        call_command("restore_data", cut)
    assert not any(rows for rows in snapshot().values())
    broken = tmp_path / "broken.jsonl.gz"
    broken.write_bytes(path.read_bytes()[:5000])
    with pytest.raises(CommandError, match="damaged"):
        call_command("restore_data", broken)
    not_a_backup = tmp_path / "notes.txt"
    not_a_backup.write_text("hello")
    with pytest.raises(CommandError, match="not a Pledgewatch backup"):
        call_command("restore_data", not_a_backup)


@pytest.fixture
def empty_database():
    """A second, newly created PostgreSQL database on the same server, dropped afterwards."""
    require_postgres()
    db = connection.settings_dict
    server = f"host={db['HOST'] or '127.0.0.1'} port={db['PORT'] or 5432} user={db['USER']}"
    if db["PASSWORD"]:
        server += f" password={db['PASSWORD']}"
    name = f"pledgewatch_restore_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(f"{server} dbname=postgres", autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    url = f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{name}"
    yield url
    with psycopg.connect(f"{server} dbname=postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE "{name}" WITH (FORCE)')


def manage(database_url: str, *args: str) -> str:
    env = {**os.environ, "DATABASE_URL": database_url, "CELERY_BROKER_URL": ""}
    done = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True,
        text=True, timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


@pytest.mark.postgres
def test_documented_commands_restore_into_a_new_postgresql_database(
    curated, tmp_path, empty_database
):
    """What an operator does: migrate a new database, restore, and the restored database
    backs up to the very same rows."""
    original = tmp_path / "original.jsonl.gz"
    call_command("backup_data", original)
    manage(empty_database, "migrate", "--noinput")
    assert "Restored" in manage(empty_database, "restore_data", str(original))
    again = tmp_path / "again.jsonl.gz"
    manage(empty_database, "backup_data", str(again))

    assert read_lines(again)[1:] == read_lines(original)[1:]  # all but the header's date
    refused = subprocess.run(
        [sys.executable, "manage.py", "restore_data", str(original)], cwd=ROOT,
        env={**os.environ, "DATABASE_URL": empty_database}, capture_output=True, text=True,
        timeout=120,
    )  # fmt: skip
    assert refused.returncode != 0 and "Refusing to restore" in refused.stderr
