"""Bulk downloads: every statement with its provenance as CSV, JSON Lines and XLSX, with a
Frictionless data package, kept as dated releases with a delta from the one before.

A release is a directory under DATA_RELEASES_DIR named by when it was built
(`2026-12-03T101500Z/`) holding the three tables, `datapackage.json` and `delta.json`;
`index.json` at the top lists the releases kept, newest first. It is written last and
atomically, so a reader (pledges.downloads) never sees a release half built: only releases the
index lists are served.

`build_if_changed` is what beat runs every few minutes (pledges.tasks): it builds only when
the data version moved since the newest release, and even then adds a release only when the
exported rows differ (an ingested article moves the version without changing any public row).
Running it twice in a row changes nothing. Builds take a file lock, so two at once do not race.

Only what the public pages show is exported: pledges with their nation, type, leader,
conditions, sources' links and accepted quotes; never candidates, unreviewed quotes, stored
article text or editors' names.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import fcntl
import hashlib
import json
import logging
import os
import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.db.models import Prefetch

from .data_version import data_version
from .exports import spreadsheet_row
from .models import Formality, Pledge, Quote, Source, Stance

logger = logging.getLogger("pledges.releases")

LICENSE = {
    "name": "CC-BY-4.0",
    "title": "Creative Commons Attribution 4.0",
    "path": "https://creativecommons.org/licenses/by/4.0/",
}

# (name, Table Schema type, description): the columns of every table, in order.
FIELDS: list[tuple[str, str, str]] = [
    ("pledge_id", "integer", "Stable id of the statement; the same in every release."),
    ("nation_iso2", "string", "ISO 3166-1 alpha-2 code of the nation that made it."),
    ("nation", "string", "The nation's name."),
    ("pledge_type", "string", "Slug of the kind of security guarantee."),
    ("pledge_type_name", "string", "Name of the kind of security guarantee."),
    ("stance", "string", "committed, open, conditional or declined."),
    ("formality", "string", "statement, declaration, agreement, approved or delivered."),
    ("announced_on", "date", "When it was stated."),
    ("conditions", "array", "Names of the conditions attached to it."),
    ("leader_id", "integer", "Id of the leader who stated it, if a leader did."),
    ("leader", "string", "Name of that leader."),
    ("summary", "string", "What was said, in the editors' words."),
    ("source_ids", "array", "Ids of the sources that report it."),
    ("source_urls", "array", "Their URLs, in the same order."),
    ("source_outlets", "array", "Their outlets, in the same order."),
    ("source_published_on", "array", "Their publication dates (ISO 8601 or null), same order."),
    ("quote_ids", "array", "Ids of the accepted quotes it rests on."),
    ("quote_texts", "array", "Those quotes' words, verbatim, in the same order."),
]
FIELD_NAMES = [name for name, _, _ in FIELDS]
CONSTRAINTS = {
    "pledge_id": {"required": True, "unique": True},
    "nation_iso2": {"required": True, "pattern": "[A-Z]{2}"},
    "pledge_type": {"required": True},
    "stance": {"required": True, "enum": list(Stance.values)},
    "formality": {"required": True, "enum": list(Formality.values)},
    "announced_on": {"required": True},
}

TABLES = {
    "pledges.csv": ("csv", "text/csv"),
    "pledges.jsonl": ("jsonl", "application/x-ndjson"),
    "pledges.xlsx": ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
}
CONTENT_TYPES = {
    **{name: media for name, (_, media) in TABLES.items()},
    "datapackage.json": "application/json",
    "delta.json": "application/json",
}
RELEASE_FILES = frozenset(CONTENT_TYPES)
RELEASE_ID = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{6}Z(?:-\d{1,3})?$")
INDEX = "index.json"


def releases_dir() -> Path:
    return Path(settings.DATA_RELEASES_DIR)


# --- The rows --------------------------------------------------------------------------------


def pledge_records() -> Iterator[dict]:
    """Every pledge as one JSON-ready dict of FIELDS, by id."""
    pledges = (
        Pledge.objects.select_related("nation", "pledge_type", "leader")
        .prefetch_related(
            "conditions",
            Prefetch(
                "sources",
                queryset=Source.objects.only("id", "url", "outlet", "published_on").order_by("id"),
            ),
            Prefetch(
                "quotes",
                queryset=Quote.objects.filter(reviewed=True).only("id", "text").order_by("id"),
            ),
        )
        .order_by("id")
    )
    for pledge in pledges.iterator(chunk_size=2000):
        sources, quotes = list(pledge.sources.all()), list(pledge.quotes.all())
        yield {
            "pledge_id": pledge.pk,
            "nation_iso2": pledge.nation.iso2,
            "nation": pledge.nation.name,
            "pledge_type": pledge.pledge_type.slug,
            "pledge_type_name": pledge.pledge_type.name,
            "stance": pledge.stance,
            "formality": pledge.formality,
            "announced_on": pledge.announced_on.isoformat(),
            "conditions": sorted(c.name for c in pledge.conditions.all()),
            "leader_id": pledge.leader_id,
            "leader": pledge.leader.name if pledge.leader else "",
            "summary": pledge.summary,
            "source_ids": [s.pk for s in sources],
            "source_urls": [s.url for s in sources],
            "source_outlets": [s.outlet for s in sources],
            "source_published_on": [
                s.published_on.isoformat() if s.published_on else None for s in sources
            ],
            "quote_ids": [q.pk for q in quotes],
            "quote_texts": [q.text for q in quotes],
        }


def release_version() -> str:
    """What a release is built from: the matrix's data version, and the newest change to a
    source (whose links and outlets the tables carry, but the matrix's version does not
    count)."""
    latest_source_change = (
        Source.history.order_by("-history_id").values_list("history_id", flat=True).first()
    )
    return f"{data_version()}+s{latest_source_change or 0}"


def _flat(record: dict) -> list[object]:
    """A record as spreadsheet cells: lists as JSON arrays (Table Schema's array type), a
    missing leader id as an empty cell; every text cell defused."""
    cells = []
    for name in FIELD_NAMES:
        value = record[name]
        if isinstance(value, list):
            value = json.dumps(value, ensure_ascii=False)
        elif value is None:
            value = ""
        cells.append(value)
    return spreadsheet_row(cells)


# --- Writing one release ---------------------------------------------------------------------


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as file:
        for block in iter(lambda: file.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _write_tables(directory: Path, records: list[dict]) -> None:
    from openpyxl import Workbook

    with (directory / "pledges.jsonl").open("w", encoding="utf-8", newline="\n") as file:
        for record in records:
            file.write(json.dumps(record, ensure_ascii=False) + "\n")
    with (directory / "pledges.csv").open("w", encoding="utf-8", newline="") as file:
        writer = csv.writer(file)
        writer.writerow(FIELD_NAMES)
        for record in records:
            writer.writerow(_flat(record))
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("pledges")
    sheet.append(FIELD_NAMES)
    announced_on = FIELD_NAMES.index("announced_on")
    for record in records:
        cells = _flat(record)
        cells[announced_on] = dt.date.fromisoformat(record["announced_on"])
        sheet.append(cells)
    workbook.save(directory / "pledges.xlsx")


def _schema() -> dict:
    fields = []
    for name, kind, description in FIELDS:
        field: dict = {"name": name, "type": kind, "description": description}
        if name in CONSTRAINTS:
            field["constraints"] = CONSTRAINTS[name]
        fields.append(field)
    return {"fields": fields, "primaryKey": ["pledge_id"], "missingValues": [""]}


def _datapackage(release_id: str, created: str, version: str, count: int) -> dict:
    schema = _schema()
    resources = []
    for name, (fmt, media) in TABLES.items():
        resource = {
            "name": name.replace(".", "-"),
            "path": name,
            "profile": "tabular-data-resource",
            "format": fmt,
            "mediatype": media,
            "encoding": "utf-8",
            "title": f"Pledges ({fmt.upper()})",
            "description": "Every statement with its provenance, one row per pledge."
            + (
                " Text cells that a spreadsheet would run as a formula (starting with =, +, -, "
                "@, tab or carriage return) begin with an apostrophe."
                if fmt != "jsonl"
                else " Values as stored: nothing is prefixed."
            ),
            "schema": schema,
        }
        if fmt == "xlsx":
            resource["dialect"] = {"sheet": "pledges"}
            resource.pop("encoding")
        resources.append(resource)
    return {
        "profile": "tabular-data-package",
        "name": "pledgewatch-pledges",
        "title": "Pledgewatch: nations' security-guarantee pledges",
        "description": "Every statement of every nation on every kind of security guarantee, "
        "with its stance, formality, conditions, leader, sources and accepted quotes.",
        "version": release_id,
        "created": created,
        "last_modified": created,
        "data_version": version,
        "licenses": [LICENSE],
        "count": count,
        "resources": resources,
    }


def _delta(records: list[dict], previous: list[dict] | None, release_id: str, before: str | None):
    old = {record["pledge_id"]: record for record in previous or []}
    new = {record["pledge_id"]: record for record in records}
    added = sorted(new.keys() - old.keys())
    changed = sorted(pk for pk in new.keys() & old.keys() if new[pk] != old[pk])
    removed = sorted(old.keys() - new.keys())
    upserts = set(added) | set(changed)
    return {
        "release": release_id,
        "previous_release": before,
        "added": added,
        "changed": changed,
        "removed": removed,
        # The rows added or changed, so that a consumer can sync from the delta alone; none
        # in the first release, whose table is every row anyway.
        "records": [r for r in records if r["pledge_id"] in upserts] if before else [],
    }


# --- The index of releases -------------------------------------------------------------------


def read_index() -> dict:
    try:
        return json.loads((releases_dir() / INDEX).read_text("utf-8"))
    except FileNotFoundError:
        return {"releases": []}


def latest_release() -> dict | None:
    releases = read_index()["releases"]
    return releases[0] if releases else None


def _write_json(path: Path, data: dict) -> None:
    """Written beside, then renamed: a reader sees the old file or the new, never half."""
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", "utf-8")
    os.replace(temporary, path)


def _read_records(release_id: str) -> list[dict] | None:
    try:
        with (releases_dir() / release_id / "pledges.jsonl").open(encoding="utf-8") as file:
            return [json.loads(line) for line in file if line.strip()]
    except FileNotFoundError:
        return None


@contextlib.contextmanager
def _build_lock() -> Iterator[bool]:
    root = releases_dir()
    root.mkdir(parents=True, exist_ok=True)
    with (root / ".lock").open("a") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


@dataclass
class BuildResult:
    release_id: str | None
    reason: str


def build_if_changed(*, force: bool = False) -> BuildResult:
    """Build a release when the data moved since the newest one (or always, with `force`)."""
    with _build_lock() as locked:
        if not locked:
            return BuildResult(None, "another build is running")
        index = read_index()
        newest = index["releases"][0] if index["releases"] else None
        # Read before the rows: a write in between moves the version again, so the next run
        # builds once more instead of a change being missed.
        version = release_version()
        if not force and newest and version in (newest["data_version"], index.get("checked")):
            return BuildResult(None, "data version unchanged")
        # One snapshot of the rows on SQLite; on PostgreSQL (read committed) a write during
        # the read moved the version read above, so the next run builds again.
        with transaction.atomic():
            records = list(pledge_records())
        previous = _read_records(newest["id"]) if newest else None
        if not force and previous is not None and previous == records:
            index["checked"] = version
            _write_json(releases_dir() / INDEX, index)
            return BuildResult(None, "no exported row changed")
        release = _build(index, records, previous, version)
        return BuildResult(release, "built")


def _new_release_id(index: dict, now: dt.datetime) -> str:
    base = now.strftime("%Y-%m-%dT%H%M%SZ")
    taken = {release["id"] for release in index["releases"]}
    release_id, n = base, 1
    while release_id in taken or (releases_dir() / release_id).exists():
        n += 1
        release_id = f"{base}-{n}"
    return release_id


def _build(index: dict, records: list[dict], previous: list[dict] | None, version: str) -> str:
    root = releases_dir()
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    created = now.isoformat().replace("+00:00", "Z")
    release_id = _new_release_id(index, now)
    newest = index["releases"][0] if index["releases"] else None
    building = root / f".building-{release_id}"
    shutil.rmtree(building, ignore_errors=True)
    building.mkdir()
    try:
        _write_tables(building, records)
        delta = _delta(records, previous, release_id, newest["id"] if newest else None)
        _write_json(building / "delta.json", delta)
        package = _datapackage(release_id, created, version, len(records))
        _write_json(building / "datapackage.json", package)
        files = [
            {
                "name": name,
                "path": f"{release_id}/{name}",
                "bytes": (building / name).stat().st_size,
                "sha256": _sha256(building / name),
                "mediatype": CONTENT_TYPES[name],
            }
            for name in sorted(RELEASE_FILES)
        ]
        os.rename(building, root / release_id)
    except BaseException:
        shutil.rmtree(building, ignore_errors=True)
        raise
    entry = {
        "id": release_id,
        "created": created,
        "data_version": version,
        "counts": {
            "pledges": len(records),
            "added": len(delta["added"]),
            "changed": len(delta["changed"]),
            "removed": len(delta["removed"]),
        },
        "files": files,
    }
    kept = [entry, *index["releases"]][: max(1, settings.DATA_RELEASES_KEPT)]
    _write_json(
        root / INDEX,
        {
            "name": "pledgewatch-pledges",
            "license": LICENSE,
            "latest": release_id,
            "releases": kept,
        },
    )
    _prune({release["id"] for release in kept})
    logger.info(
        "data release %s built: %s pledges, %s added, %s changed, %s removed",
        release_id,
        *entry["counts"].values(),
        extra={"release": release_id, **entry["counts"]},
    )
    return release_id


def _prune(kept: set[str]) -> None:
    """Remove the releases the index no longer lists, and builds that never finished."""
    for path in releases_dir().iterdir():
        if path.is_dir() and (
            (RELEASE_ID.match(path.name) and path.name not in kept)
            or path.name.startswith(".building-")
        ):
            shutil.rmtree(path, ignore_errors=True)
