"""Back up all curated data to one file and restore it into an empty database.

The file is gzipped JSON lines: a header, one line per row (Django's serializer format,
primary keys kept so that history, evidence links and review decisions stay joined up),
and a trailer with the row count of every table, which a restore checks, so a truncated
file is refused instead of half-restored. Covered: every table of `pledges` and `ingest`
with their history and many-to-many links, and the user accounts history and decisions
point to (with their password hashes: keep backups as safe as the database itself).
"""

from __future__ import annotations

import datetime as dt
import gzip
import json
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from itertools import islice
from pathlib import Path

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core import serializers
from django.core.management.color import no_style
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction
from django.db.models import Model
from django.utils import timezone

FORMAT = "pledgewatch-backup"
VERSION = 1
APPS = ("pledges", "ingest")
BATCH = 2000


class BackupError(Exception):
    """A backup cannot be restored here; the message says why."""


class _Encoder(DjangoJSONEncoder):
    # DjangoJSONEncoder cuts datetimes to milliseconds; a restore must give back every digit.
    def default(self, o: object) -> object:
        if isinstance(o, dt.datetime | dt.time):
            return o.isoformat()
        return super().default(o)


def backup_models() -> list[type[Model]]:
    """The user model first, then every model of the curated apps (history and link tables
    included) in an order where each table comes after the tables it refers to."""
    app_models = [
        (apps.get_app_config(label), list(apps.get_app_config(label).get_models(True)))
        for label in APPS
    ]
    ordered = serializers.sort_dependencies(app_models, allow_cycles=True)
    return [get_user_model(), *ordered]


def _label(model: type[Model]) -> str:
    return model._meta.label_lower


def _batches(rows: Iterable[Model]) -> Iterator[list[Model]]:
    iterator = iter(rows)
    while batch := list(islice(iterator, BATCH)):
        yield batch


def _records(model: type[Model]) -> Iterator[dict]:
    user_model = get_user_model()
    rows = model._default_manager.order_by("pk").iterator(chunk_size=BATCH)
    if model is user_model:
        # Few rows; groups and permissions by name, since their ids differ between databases.
        for batch in _batches(rows):
            yield from serializers.serialize("python", batch, use_natural_foreign_keys=True)
        return
    # Many-to-many links are their own tables here (dumped as rows), not one query per row.
    fields = [f.name for f in model._meta.concrete_fields if not f.primary_key]
    for batch in _batches(rows):
        yield from serializers.serialize("python", batch, fields=fields)


@contextmanager
def _snapshot() -> Iterator[None]:
    """One transaction for the whole backup; on PostgreSQL a repeatable-read snapshot, so
    that rows written while it runs (a worker ingesting) never leave it half-joined."""
    outermost = not connection.in_atomic_block
    with transaction.atomic():
        if outermost and connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        yield


def backup_write(path: Path) -> dict[str, int]:
    """Write every row to `path` (via a temporary file, so a failed backup leaves no
    half-written file under the final name); returns the row count of each table."""
    counts: dict[str, int] = {}
    models = backup_models()
    partial = path.with_name(path.name + ".partial")
    with _snapshot(), gzip.open(partial, "wt", encoding="utf-8") as out:
        header = {
            "format": FORMAT,
            "version": VERSION,
            "created_at": timezone.now().isoformat(),
            "models": [_label(model) for model in models],
        }
        out.write(json.dumps(header) + "\n")
        for model in models:
            counts[_label(model)] = 0
            for record in _records(model):
                out.write(json.dumps(record, cls=_Encoder, ensure_ascii=False) + "\n")
                counts[_label(model)] += 1
        out.write(json.dumps({"end": True, "counts": counts}) + "\n")
    partial.replace(path)
    return counts


def _read(path: Path) -> Iterator[dict]:
    """The header (checked), then every line after it."""
    try:
        with gzip.open(path, "rt", encoding="utf-8") as stream:
            header = json.loads(stream.readline())
            if not isinstance(header, dict) or header.get("format") != FORMAT:
                raise BackupError(f"{path} is not a Pledgewatch backup.")
            if header.get("version") != VERSION:
                raise BackupError(
                    f"{path} is a version {header.get('version')} backup; this release "
                    f"reads version {VERSION}."
                )
            yield header
            for line in stream:
                yield json.loads(line)
    except (OSError, EOFError, ValueError) as error:
        raise BackupError(f"{path} is not a Pledgewatch backup, or is damaged: {error}") from error


def non_empty_tables() -> dict[str, int]:
    return {
        _label(model): count
        for model in backup_models()
        if (count := model._default_manager.count())
    }


def backup_restore(path: Path) -> dict[str, int]:
    """Load a backup into a database that is migrated but holds none of its rows; all or
    nothing. Returns the row count of each table."""
    lines = _read(path)
    header = next(lines)
    known = {_label(model): model for model in backup_models()}
    unknown = sorted(set(header["models"]) - set(known))
    if unknown:
        raise BackupError(f"The backup has tables this release does not: {', '.join(unknown)}.")
    counts = dict.fromkeys(header["models"], 0)
    with transaction.atomic(), connection.constraint_checks_disabled():
        if occupied := non_empty_tables():
            listing = ", ".join(f"{count} in {label}" for label, count in occupied.items())
            raise BackupError(
                f"Refusing to restore into a database that already has data ({listing}). "
                "Restore into a new, empty database: run `manage.py migrate` only, without "
                "`load_seed`, then `manage.py restore_data`."
            )
        trailer = None
        pending: list[dict] = []
        for record in lines:
            if record.get("end"):
                trailer = record
                break
            if pending and (record["model"] != pending[0]["model"] or len(pending) >= BATCH):
                _insert(pending, known)
                pending = []
            pending.append(record)
            counts[record["model"]] += 1
        if pending:
            _insert(pending, known)
        if trailer is None:
            raise BackupError(f"{path} ends early: it was cut short while being written or copied.")
        if trailer["counts"] != counts:
            raise BackupError(f"{path} does not hold the rows its trailer lists.")
        restored = [known[label] for label in header["models"]]
        connection.check_constraints(table_names=[m._meta.db_table for m in restored])
        with connection.cursor() as cursor:
            for statement in connection.ops.sequence_reset_sql(no_style(), restored):
                cursor.execute(statement)
    return counts


def _insert(records: list[dict], known: dict[str, type[Model]]) -> None:
    model = known[records[0]["model"]]
    objects = serializers.deserialize("python", records)
    if model is get_user_model():
        for deserialized in objects:
            deserialized.save()  # with its groups and permissions
        return
    # A raw insert, as loaddata does: bulk_create would stamp auto_now(_add) fields anew.
    rows = [deserialized.object for deserialized in objects]
    fields = model._meta.local_concrete_fields
    size = connection.ops.bulk_batch_size(fields, rows) or len(rows)
    for start in range(0, len(rows), size):
        model._base_manager._insert(
            rows[start : start + size], fields=fields, raw=True, using=connection.alias
        )
