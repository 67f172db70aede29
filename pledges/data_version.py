"""Has the data changed? A version that changes with every write to the editors' tables, read
in one small query, for everything the commitment matrix shows or for a few tables only.

The rendered matrix (pledges.matrix_cache) is keyed by the version of every table; the
extractor's gazetteer (ingest.gazetteers) by that of nations, leaders and pledge types. A key
that changes with the data needs no invalidation, and each process may keep its own copies.
Database triggers keep it (migrations 0004 and 0006 say what they count and why), so writes
made any way — the models, the admin, bulk operations, `QuerySet.update`, raw SQL — and
transactions committing in any order all change it.

The matrix reads it at most once per MATRIX_RECHECK_MS per process (`recent_data_version`):
a cached page then costs no database round trip at all, and a write made in another process
shows within that window. A write made by this process shows at once (`note_writes`).
"""

from __future__ import annotations

import time

from django.conf import settings
from django.db import connection, connections, transaction
from django.db.models import Model

_VERSION_SQL = {
    # One counter per table, each bumped by every row written.
    "sqlite": "SELECT SUM(n) FROM pledges_matrixversion",
    # A log of the statements that wrote: a transaction that took an older id but commits
    # after a newer one still changes the count, or the sum of ids if it also pruned a row.
    "postgresql": "SELECT MAX(id), COUNT(*), SUM(id) FROM pledges_matrixchange",
}

# The tables and events the triggers count (migrations 0004 and 0006 install them).
COUNTED_TABLES = {
    "pledges_bloc": "INSERT UPDATE DELETE",
    "pledges_condition": "INSERT UPDATE DELETE",
    "pledges_leader": "INSERT UPDATE DELETE",
    "pledges_nation": "INSERT UPDATE DELETE",
    "pledges_nation_blocs": "INSERT UPDATE DELETE",
    "pledges_pledge": "INSERT UPDATE DELETE",
    "pledges_pledge_conditions": "INSERT UPDATE DELETE",
    "pledges_pledge_quotes": "INSERT UPDATE DELETE",
    "pledges_pledge_sources": "INSERT UPDATE DELETE",
    "pledges_pledgetype": "INSERT UPDATE DELETE",
    "pledges_quote": "UPDATE DELETE",
}

# (version, time.monotonic() just before it was read), or None. Replaced whole, so threads
# never see half an update.
_last_read: tuple[str, float] | None = None


def data_version(*models: type[Model]) -> str:
    """Changes whenever a row of these models' tables may have changed (by default, of any
    table the matrix shows). Always asks the database."""
    sql, tables = _VERSION_SQL[connection.vendor], [model._meta.db_table for model in models]
    if tables:
        sql += f" WHERE table_name IN ({', '.join(['%s'] * len(tables))})"
    with connection.cursor() as cursor:
        cursor.execute(sql, tables)
        row = cursor.fetchone()
    return ".".join(str(value) for value in row)


def recent_data_version() -> str:
    """The version of every table, as read at most MATRIX_RECHECK_MS ago by this process."""
    global _last_read
    last, now = _last_read, time.monotonic()
    if last is not None and now - last[1] < settings.MATRIX_RECHECK_MS / 1000:
        return last[0]
    version = data_version()
    _last_read = (version, now)
    return version


def forget_data_version() -> None:
    global _last_read
    _last_read = None


def note_writes(execute, sql, params, many, context):
    """A database execute wrapper (`watch_writes` installs it): after a statement that may
    write, this process reads the data version again, both at once (for reads later in the
    same transaction) and after commit (a read by another thread in between would have seen
    the version before the commit)."""
    result = execute(sql, params, many, context)
    if many or sql[:32].lstrip()[:6].upper() != "SELECT":
        forget_data_version()
        if context["connection"].in_atomic_block:
            transaction.on_commit(forget_data_version, using=context["connection"].alias)
    return result


_SQLITE_TRIGGER = (
    "CREATE TRIGGER IF NOT EXISTS pledges_matrix_changed_{table}_{name} AFTER {event} ON {table} "
    "BEGIN UPDATE pledges_matrixversion SET n = n + 1 WHERE table_name = '{table}'; END"
)


def restore_sqlite_triggers(using: str = "default", **kwargs) -> None:
    """Receives `post_migrate`. SQLite rebuilds a table to add most columns, which drops its
    triggers: each migration run puts back any that are missing and bumps every count, so
    no cached page outlives the migration's changes."""
    connection = connections[using]
    if connection.vendor != "sqlite" or "pledges_matrixversion" not in (
        connection.introspection.table_names()
    ):
        return
    with connection.cursor() as cursor:
        for table, events in COUNTED_TABLES.items():
            for event in events.split():
                # Names from COUNTED_TABLES above, never from input.
                cursor.execute(_SQLITE_TRIGGER.format(table=table, event=event, name=event.lower()))
        cursor.execute("UPDATE pledges_matrixversion SET n = n + 1")


def watch_writes(sender, connection, **kwargs) -> None:
    """Receives `connection_created` (connected by pledges.apps) to wrap every connection."""
    # Sent again on every reconnect of the same connection object.
    if note_writes not in connection.execute_wrappers:
        connection.execute_wrappers.append(note_writes)
