"""Bulk downloads and dated releases (pledges.releases, pledges.downloads): built only when the
data changed, N kept, deltas by pledge id, spreadsheet cells defused, a valid Frictionless
data package, the JSON Lines reproducing the matrix, safe serving, and nothing hidden leaking."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
from pathlib import Path

import openpyxl
import pytest
from django.core.management import call_command

from ingest import services, tasks
from ingest.models import Candidate
from pledges import releases
from pledges import tasks as pledge_tasks
from pledges.exports import FORMULA_STARTS
from pledges.models import Pledge, Quote, Source, Stance
from pledges.selectors import latest_pledges

from .factories import (
    ConditionFactory,
    LeaderFactory,
    NationFactory,
    PledgeFactory,
    PledgeTypeFactory,
    QuoteFactory,
    SourceFactory,
)


@pytest.fixture(autouse=True)
def releases_dir(settings, tmp_path) -> Path:
    settings.DATA_RELEASES_DIR = tmp_path / "data-releases"
    settings.DATA_RELEASES_KEPT = 10
    return settings.DATA_RELEASES_DIR


def build() -> str | None:
    return pledge_tasks.build_data_release.apply().get()


def index() -> dict:
    return releases.read_index()


def release_path(release_id: str, name: str) -> Path:
    return releases.releases_dir() / release_id / name


def jsonl(release_id: str) -> list[dict]:
    lines = release_path(release_id, "pledges.jsonl").read_text("utf-8").splitlines()
    return [json.loads(line) for line in lines]


def csv_rows(release_id: str) -> list[list[str]]:
    with release_path(release_id, "pledges.csv").open(encoding="utf-8", newline="") as file:
        return list(csv.reader(file))


def xlsx_cells(release_id: str) -> list:
    workbook = openpyxl.load_workbook(release_path(release_id, "pledges.xlsx"))
    return [cell for row in workbook["pledges"].iter_rows() for cell in row]


# --- When a release is built -----------------------------------------------------------------


def test_builds_only_when_the_data_changed(db):
    PledgeFactory()
    first = build()
    assert first is not None
    index_file = releases.releases_dir() / "index.json"
    written = index_file.read_bytes(), index_file.stat().st_mtime_ns
    assert build() is None  # twice in a row: one release, nothing rewritten
    assert (index_file.read_bytes(), index_file.stat().st_mtime_ns) == written
    assert [r["id"] for r in index()["releases"]] == [first]

    PledgeFactory(summary="Something new.")
    second = build()
    assert second not in (None, first)
    assert [r["id"] for r in index()["releases"]] == [second, first]
    assert index()["latest"] == second
    assert build() is None


def test_a_version_change_that_no_row_shows_adds_no_release(db):
    pledge = PledgeFactory()
    build()
    # An unreviewed quote changed: the data version moves, no exported row does.
    quote = QuoteFactory(reviewed=False)
    quote.text = "Edited, still unreviewed."
    quote.save()
    assert build() is None
    assert len(index()["releases"]) == 1
    index_file = releases.releases_dir() / "index.json"
    written = index_file.read_bytes()
    assert build() is None
    assert index_file.read_bytes() == written
    # A source's outlet is in the rows, though the matrix's version does not count sources.
    source = SourceFactory()
    pledge.sources.add(source)
    assert build() is not None
    Source.objects.get(pk=source.pk).save()  # unchanged fields: no new release
    assert build() is None
    source.outlet = "Renamed Outlet"
    source.save()
    assert build() is not None
    assert jsonl(index()["latest"])[0]["source_outlets"] == ["Renamed Outlet"]


def test_keeps_only_the_newest_n(db, settings):
    settings.DATA_RELEASES_KEPT = 3
    pledge = PledgeFactory()
    built = []
    for n in range(5):
        pledge.summary = f"Revision {n}."
        pledge.save()
        built.append(build())
    assert [r["id"] for r in index()["releases"]] == built[::-1][:3]
    on_disk = sorted(p.name for p in releases.releases_dir().iterdir() if p.is_dir())
    assert on_disk == sorted(built[2:])


def test_the_command_builds_and_then_says_nothing_changed(db):
    PledgeFactory()
    out = io.StringIO()
    call_command("build_data_release", stdout=out)
    assert "Built release" in out.getvalue()
    call_command("build_data_release", stdout=out)
    assert "No release built: data version unchanged." in out.getvalue()
    call_command("build_data_release", "--force", stdout=out)
    assert len(index()["releases"]) == 2


def test_the_beat_schedule_runs_the_task(settings):
    from pledgewatch.celery import app

    entry = settings.CELERY_BEAT_SCHEDULE["build-data-release"]
    assert entry["task"] == "pledges.tasks.build_data_release"
    assert entry["task"] in app.tasks
    assert entry["schedule"] <= 15 * 60


# --- Deltas and the index --------------------------------------------------------------------


def test_the_delta_lists_exactly_what_was_added_changed_and_removed(db):
    kept, edited, deleted = PledgeFactory.create_batch(3)
    first = build()
    delta = json.loads(release_path(first, "delta.json").read_text())
    assert delta["previous_release"] is None
    assert delta["added"] == sorted([kept.pk, edited.pk, deleted.pk])
    assert delta["changed"] == delta["removed"] == delta["records"] == []

    added = PledgeFactory(nation=kept.nation, stance=Stance.DECLINED)
    edited.conditions.add(ConditionFactory())
    deleted_pk = deleted.pk
    deleted.delete()
    second = build()
    delta = json.loads(release_path(second, "delta.json").read_text())
    assert delta["previous_release"] == first
    assert delta["added"] == [added.pk]
    assert delta["changed"] == [edited.pk]
    assert delta["removed"] == [deleted_pk]
    assert [r["pledge_id"] for r in delta["records"]] == sorted([added.pk, edited.pk])
    entry = index()["releases"][0]
    assert entry["counts"] == {"pledges": 3, "added": 1, "changed": 1, "removed": 1}


def test_the_index_describes_every_file(db):
    PledgeFactory.create_batch(2)
    release_id = build()
    entry = index()["releases"][0]
    assert entry["id"] == release_id and entry["data_version"]
    assert dt.datetime.fromisoformat(entry["created"].replace("Z", "+00:00"))
    assert {f["name"] for f in entry["files"]} == releases.RELEASE_FILES
    for described in entry["files"]:
        content = release_path(release_id, described["name"]).read_bytes()
        assert described["bytes"] == len(content)
        assert described["sha256"] == hashlib.sha256(content).hexdigest()
        assert described["path"] == f"{release_id}/{described['name']}"


# --- What is in the files --------------------------------------------------------------------

HOSTILE = ["=1+1", "+SUM(A1)", "-2+3", "@cmd", "\t=tab", "\r=cr"]


def test_every_text_cell_of_the_spreadsheets_is_defused(db):
    for n, text in enumerate(HOSTILE):
        nation = NationFactory(name=f"{text} nation {n}")
        PledgeFactory(
            nation=nation,
            pledge_type=PledgeTypeFactory(),
            summary=text,
            leader=LeaderFactory(name=f"{text} leader {n}", nation=nation),
            conditions=[ConditionFactory(name=f"{text} condition {n}")],
            quotes=[QuoteFactory(text=text)],
        )
    release_id = build()
    rows = csv_rows(release_id)
    assert len(rows) == len(HOSTILE) + 1
    for row in rows:
        for cell in row:
            assert not cell.startswith(FORMULA_STARTS), cell
    summaries = {row[rows[0].index("summary")] for row in rows[1:]}
    assert summaries == {"'" + text for text in HOSTILE}
    cells = xlsx_cells(release_id)
    assert len(cells) == len(rows) * len(releases.FIELD_NAMES)
    for cell in cells:
        assert cell.data_type != "f"
        if isinstance(cell.value, str):
            assert not cell.value.startswith(FORMULA_STARTS), cell.value
    # JSON Lines is no spreadsheet: its values are as stored.
    assert {r["summary"] for r in jsonl(release_id)} == set(HOSTILE)


def test_the_data_package_is_valid(seeded):
    from frictionless import Package, validate

    pledge = Pledge.objects.first()
    pledge.summary = '=HYPERLINK("x")'
    pledge.save()
    release_id = build()
    descriptor = release_path(release_id, "datapackage.json")
    report = validate(str(descriptor))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    package = json.loads(descriptor.read_text())
    assert package["licenses"][0]["name"] == "CC-BY-4.0"
    assert package["last_modified"] == index()["releases"][0]["created"]
    assert {r["path"] for r in package["resources"]} == {
        "pledges.csv",
        "pledges.jsonl",
        "pledges.xlsx",
    }
    count = Pledge.objects.count()
    loaded = Package(str(descriptor))
    for resource in loaded.resources:
        assert resource.schema.primary_key == ["pledge_id"]
        rows = resource.read_rows()
        assert len(rows) == count, resource.path
        assert {row["pledge_id"] for row in rows} == set(
            Pledge.objects.values_list("id", flat=True)
        )


def test_the_json_lines_reproduce_the_matrix(seeded):
    today = dt.date.today()
    nation, pledge_type = Pledge.objects.values_list("nation", "pledge_type").first()
    # A later statement in one cell, and one in the future that the matrix does not show yet.
    PledgeFactory(
        nation_id=nation, pledge_type_id=pledge_type, announced_on=today, stance=Stance.DECLINED
    )
    PledgeFactory(
        nation_id=nation,
        pledge_type_id=pledge_type,
        announced_on=today + dt.timedelta(days=30),
        stance=Stance.COMMITTED,
    )
    records = jsonl(build())
    assert len(records) == Pledge.objects.count()
    latest: dict[tuple[str, str], dict] = {}
    for record in records:
        if dt.date.fromisoformat(record["announced_on"]) > today:
            continue
        cell = (record["nation_iso2"], record["pledge_type"])
        key = (record["announced_on"], record["pledge_id"])
        if cell not in latest or key > (latest[cell]["announced_on"], latest[cell]["pledge_id"]):
            latest[cell] = record
    matrix = {(p.nation.iso2, p.pledge_type.slug): p.stance for p in latest_pledges(as_of=today)}
    assert len(matrix) > 1
    assert {cell: record["stance"] for cell, record in latest.items()} == matrix


def test_a_record_carries_its_provenance(db):
    source = SourceFactory(outlet="The Outlet", published_on=dt.date(2025, 9, 3))
    quote = QuoteFactory(source=source, text="We stand ready.")
    hidden = QuoteFactory(source=source, text="Not yet reviewed.", reviewed=False)
    pledge = PledgeFactory(sources=[source], quotes=[quote, hidden])
    (record,) = jsonl(build())
    assert record["pledge_id"] == pledge.pk
    assert record["nation_iso2"] == pledge.nation.iso2
    assert record["source_ids"] == [source.pk]
    assert record["source_urls"] == [source.url]
    assert record["source_outlets"] == ["The Outlet"]
    assert record["source_published_on"] == ["2025-09-03"]
    assert record["quote_ids"] == [quote.pk]
    assert record["quote_texts"] == ["We stand ready."]
    assert record["leader_id"] is None and record["leader"] == ""
    assert set(record) == set(releases.FIELD_NAMES)


# --- Serving ---------------------------------------------------------------------------------


def test_the_views_serve_the_files(db, client):
    PledgeFactory()
    release_id = build()
    for url in ["/data/", "/data/index.json"]:
        response = client.get(url)
        assert response.status_code == 200
        assert response["Content-Type"] == "application/json; charset=utf-8"
        assert response.json()["releases"][0]["id"] == release_id
        assert response["Access-Control-Allow-Origin"] == "*"
        assert client.get(url, HTTP_IF_NONE_MATCH=response["ETag"]).status_code == 304
    expected = {
        "pledges.csv": "text/csv; charset=utf-8",
        "pledges.jsonl": "application/x-ndjson; charset=utf-8",
        "pledges.xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "datapackage.json": "application/json; charset=utf-8",
        "delta.json": "application/json; charset=utf-8",
    }
    for name, content_type in expected.items():
        for release in [release_id, "latest"]:
            response = client.get(f"/data/{release}/{name}")
            assert response.status_code == 200, (release, name)
            assert response["Content-Type"] == content_type
            body = b"".join(response.streaming_content)
            assert body == release_path(release_id, name).read_bytes()
            assert response["ETag"].strip('"') in {
                f["sha256"] for f in index()["releases"][0]["files"]
            }
            assert response["Last-Modified"]
            again = client.get(f"/data/{release}/{name}", HTTP_IF_NONE_MATCH=response["ETag"])
            assert again.status_code == 304
        assert client.head(f"/data/latest/{name}").status_code == 200
    assert client.get(f"/data/{release_id}/pledges.csv")["Cache-Control"].endswith("immutable")
    latest = client.get("/data/latest/pledges.csv")
    assert latest["Content-Location"] == f"/data/{release_id}/pledges.csv"
    assert client.post("/data/latest/pledges.csv").status_code == 405


def test_an_empty_index_before_the_first_build(db, client):
    response = client.get("/data/index.json")
    assert response.status_code == 200
    assert response.json() == {"releases": []}
    assert client.get("/data/latest/pledges.csv").status_code == 404


@pytest.mark.parametrize(
    "path",
    [
        "/data/latest/settings.py",
        "/data/latest/.lock",
        "/data/2020-01-01T000000Z/pledges.csv",
        "/data/../settings.py",
        "/data/..%2Fsettings.py",
        "/data/%2e%2e/settings.py",
        "/data/%2e%2e/%2e%2e/pledgewatch/settings.py",
        "/data/latest/..%2F..%2Fpledgewatch%2Fsettings.py",
        "/data/latest/%2e%2e%2fdatapackage.json",
        "/data/.building-x/pledges.csv",
        "/data/latest/index.json",
        "/data/index.json/",
        "/data/latest",
    ],
)
def test_unknown_files_and_traversal_are_404(db, client, path):
    PledgeFactory()
    build()
    (releases.releases_dir() / "secret.txt").write_text("do not serve")
    response = client.get(path)
    assert response.status_code == 404
    assert b"do not serve" not in response.content


# --- Nothing hidden leaks --------------------------------------------------------------------


def release_text(release_id: str) -> str:
    texts = [
        release_path(release_id, name).read_text("utf-8")
        for name in ["pledges.csv", "pledges.jsonl", "datapackage.json", "delta.json"]
    ]
    texts += [str(cell.value) for cell in xlsx_cells(release_id) if cell.value is not None]
    texts.append(json.dumps(index(), ensure_ascii=False))
    return "\n".join(texts)


def test_no_candidate_unreviewed_quote_stored_text_or_editor_leaks(
    seeded, stub_server, settings, django_capture_on_commit_callbacks, django_user_model
):
    settings.FETCH_ALLOWED_HOSTS = ["127.0.0.1"]
    ingested = []
    for path in ["/articles/3.html", "/articles/8.html"]:  # 8 also has quotes
        with django_capture_on_commit_callbacks(execute=True):
            article = tasks.submit_article(stub_server.url(path))
        article.refresh_from_db()
        assert article.source is not None and article.source.text
        ingested.append(article.source)
    pending = list(
        Candidate.objects.filter(source__in=ingested, status="pending").order_by("source", "id")
    )
    unreviewed = list(Quote.objects.filter(source__in=ingested, reviewed=False))
    assert pending and unreviewed

    # One candidate accepted: its pledge is public, the rest of the source is not.
    editor = django_user_model.objects.create(username="editor-zqxj", first_name="Wilhelmina")
    accepted = pending.pop(0)
    untouched = next(stored for stored in ingested if stored.pk != accepted.source_id)
    pledge = services.candidate_accept(accepted.pk, editor=editor)
    public = {pledge.summary, *pledge.quotes.values_list("text", flat=True)}
    unreviewed = [q for q in unreviewed if not Quote.objects.get(pk=q.pk).reviewed]

    release_id = build()
    text = release_text(release_id)
    assert pledge.pk in {record["pledge_id"] for record in jsonl(release_id)}
    assert accepted.source.url in text
    assert untouched.url not in text  # nothing of it accepted
    for stored in ingested:
        assert stored.text not in text
        for paragraph in (p for p in stored.text.split("\n") if len(p) > 40):
            if not any(paragraph in shown for shown in public):
                assert paragraph not in text
    for candidate in pending:
        if candidate.evidence not in public and not any(candidate.evidence in s for s in public):
            assert candidate.evidence not in text
    for quote in unreviewed:
        assert quote.text not in text
    assert "editor-zqxj" not in text and "Wilhelmina" not in text
    for record in jsonl(release_id):
        for quote_id in record["quote_ids"]:
            assert Quote.objects.get(pk=quote_id).reviewed


def test_a_second_build_at_once_does_nothing(db):
    PledgeFactory()
    with releases._build_lock() as locked:
        assert locked
        result = releases.build_if_changed()
    assert (result.release_id, result.reason) == (None, "another build is running")
    assert index()["releases"] == []
    assert build() is not None


def test_a_build_that_never_finished_is_cleared_and_never_served(db, client):
    PledgeFactory()
    root = releases.releases_dir()
    (root / ".building-2026-01-01T000000Z").mkdir(parents=True)
    (root / "2026-01-01T000000Z").mkdir()  # renamed into place, index never written
    (root / "2026-01-01T000000Z" / "pledges.csv").write_text("stale")
    assert client.get("/data/2026-01-01T000000Z/pledges.csv").status_code == 404
    release_id = build()
    assert sorted(p.name for p in root.iterdir() if p.is_dir()) == [release_id]
