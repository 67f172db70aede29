"""Copy the pledges tables of a PostgreSQL database into an SQLite file that already has the
schema (made by `manage.py migrate`), so that Datasette can serve the same data."""

from __future__ import annotations

import json
import re
import sqlite3

import psycopg

# History is not browsed; the matrix version bookkeeping differs per database (and the
# SQLite side's triggers keep their own as the rows go in).
SKIPPED = ("pledges_historical", "pledges_matrixversion")


def export(postgres_url: str, sqlite_path: str) -> dict[str, int]:
    target = sqlite3.connect(sqlite_path)
    # Django's schema has CHECK constraints that call REGEXP, which Django's own connections
    # define.
    target.create_function(
        "REGEXP", 2, lambda pattern, value: value is not None and bool(re.search(pattern, value))
    )
    tables = [
        name
        for (name,) in target.execute(
            "SELECT name FROM sqlite_master WHERE type='table' AND name LIKE 'pledges_%'"
        )
        if not name.startswith(SKIPPED)
    ]
    copied = {}
    with psycopg.connect(postgres_url) as source:
        for table in tables:
            columns = [row[1] for row in target.execute(f'PRAGMA table_info("{table}")')]
            quoted = ", ".join(f'"{c}"' for c in columns)
            insert = f'INSERT INTO "{table}" ({quoted}) VALUES ({", ".join("?" * len(columns))})'
            target.execute(f'DELETE FROM "{table}"')
            with source.cursor(name=f"export_{table}") as cursor:
                cursor.execute(f'SELECT {quoted} FROM "{table}"')
                rows = 0
                while batch := cursor.fetchmany(5000):
                    target.executemany(
                        insert,
                        [tuple(_sqlite_value(v) for v in row) for row in batch],
                    )
                    rows += len(batch)
            copied[table] = rows
    target.commit()
    target.execute("ANALYZE")
    target.close()
    return copied


def _sqlite_value(value):
    if isinstance(value, list | dict):
        return json.dumps(value)
    if hasattr(value, "isoformat"):
        return value.isoformat(sep=" ") if hasattr(value, "hour") else value.isoformat()
    return value
