"""Ingestion's writes in plain SQL, where the ORM cost more to build a statement than the
database spent running it, inside write transactions every worker waits on.

- `insert_with_history`: new rows and their history rows, as simple-history's
  `bulk_create_with_history` writes them, with SQL built once per model and row count: the
  rows in one statement and their history rows in another, or on PostgreSQL one statement (a
  data-modifying WITH) whenever every history row gets the same date, user and change reason,
  as ingestion's always do. `tests/test_inserts.py` checks they match the ORM's.
- `claim_article`, `link_article`, `stored_sources`: one statement each, where the ORM needed
  a read and a write, or could not return the row.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from functools import cache
from typing import TypeVar

from django.conf import settings
from django.db import connection, models
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, get_change_reason_from_object

from ingest.models import Article
from pledges.models import Source

_Model = TypeVar("_Model", bound=models.Model)


def insert_with_history(objs: Sequence[_Model]) -> Sequence[_Model]:
    """Insert unsaved instances of one model, and a "+" history row for each; sets their
    primary keys: two statements per batch of rows, or one on PostgreSQL. Call it inside a
    transaction, as rows and their history rows belong together."""
    if not objs:
        return objs
    model = type(objs[0])
    if not connection.features.can_return_rows_from_bulk_insert:
        # No INSERT ... RETURNING (SQLite before 3.35): simple-history's own, slower path.
        return bulk_create_with_history(objs, model)
    history = model.history.model
    # Rows per statement, within the database's limit on parameters (PostgreSQL's is 65,535).
    limit = connection.features.max_query_params or 32_766
    history_fields = _insert_fields(history)[0]
    columns = max(len(_insert_fields(model)[0]), len(history_fields))
    # On PostgreSQL one statement binds the rows' values and, once, the history-only ones,
    # which are fewer than the history's columns.
    rows = max(1, (limit - len(history_fields)) // columns)
    for start in range(0, len(objs), rows):
        _insert(objs[start : start + rows], model, history)
    return objs


def _insert(
    objs: Sequence[models.Model], model: type[models.Model], history: type[models.Model]
) -> None:
    fields, pk = _insert_fields(model)
    params = [
        field.get_db_prep_save(field.pre_save(obj, add=True), connection)
        for obj in objs
        for field in fields
    ]
    now = timezone.now()
    shared = (
        _shared_history_values(history, objs, now) if connection.vendor == "postgresql" else None
    )
    with connection.cursor() as cursor:
        if shared is None:
            sql = _insert_sql(connection.vendor, model, len(objs), returning=True)
        else:
            sql = _insert_with_history_sql(model, history, len(objs))
            params += _history_only_params(history, shared)
        cursor.execute(sql, params)
        for obj, (value,) in zip(objs, cursor.fetchall(), strict=True):
            setattr(obj, pk.attname, value)
            obj._state.adding = False
            obj._state.db = connection.alias
        if shared is None:
            cursor.execute(
                _insert_sql(connection.vendor, history, len(objs)),
                _history_params(history, objs, now),
            )


def _history_values(history: type[models.Model], obj: models.Model, now: dt.datetime) -> dict:
    """The columns a history row does not copy from its row, as
    `HistoryManager.bulk_history_create` sets them."""
    user = getattr(obj, "_history_user", history.get_default_history_user(obj))
    return {
        "history_date": getattr(obj, "_history_date", now),
        "history_user": user.pk if user is not None else None,
        "history_change_reason": get_change_reason_from_object(obj) or None,
        "history_type": "+",
    }


def _shared_history_values(
    history: type[models.Model], objs: Sequence[models.Model], now: dt.datetime
) -> dict | None:
    """The history-only values, when every row's are the same (None otherwise)."""
    first = _history_values(history, objs[0], now)
    if any(_history_values(history, obj, now) != first for obj in objs[1:]):
        return None
    return first


def _history_params(
    history: type[models.Model], objs: Sequence[models.Model], now: dt.datetime
) -> list:
    """The history rows' values: the row's own for tracked fields, then the history-only ones."""
    fields, _ = _insert_fields(history)
    tracked = _tracked(history)
    params = []
    for obj in objs:
        values = _history_values(history, obj, now)
        for field in fields:
            value = getattr(obj, field.attname) if field.attname in tracked else values[field.name]
            params.append(field.get_db_prep_save(value, connection))
    return params


def _history_only_params(history: type[models.Model], values: dict) -> list:
    fields, _ = _insert_fields(history)
    tracked = _tracked(history)
    return [
        field.get_db_prep_save(values[field.name], connection)
        for field in fields
        if field.attname not in tracked
    ]


@cache
def _tracked(history: type[models.Model]) -> frozenset[str]:
    """The attributes a history row copies from its row; it sets the others itself."""
    return frozenset(field.attname for field in history.tracked_fields)


@cache
def _insert_fields(model: type[models.Model]) -> tuple[list[models.Field], models.Field]:
    """The columns an insert writes (all but the auto primary key), and that key."""
    pk = model._meta.pk
    return [field for field in model._meta.concrete_fields if field is not pk], pk


@cache
def _insert_sql(
    vendor: str, model: type[models.Model], rows: int, *, returning: bool = False
) -> str:
    # Keyed by the vendor too: names are quoted its way.
    quote = connection.ops.quote_name
    fields, pk = _insert_fields(model)
    columns = ", ".join(quote(field.column) for field in fields)
    row = "(" + ", ".join(["%s"] * len(fields)) + ")"
    sql = f"INSERT INTO {quote(model._meta.db_table)} ({columns}) VALUES " + ", ".join(  # noqa: S608
        [row] * rows
    )
    return sql + f" RETURNING {quote(pk.column)}" if returning else sql


@cache
def _insert_with_history_sql(
    model: type[models.Model], history: type[models.Model], rows: int
) -> str:
    """PostgreSQL: insert the rows and, from what that insert returns, their history rows, in
    one statement; it returns the new primary keys in the rows' order, as the insert alone
    does. The history-only columns are parameters, cast to their columns' types."""
    quote = connection.ops.quote_name
    columns = {field.attname: field.column for field in model._meta.concrete_fields}
    tracked = _tracked(history)
    fields, _ = _insert_fields(history)
    values = ", ".join(
        f"new.{quote(columns[field.attname])}"
        if field.attname in tracked
        else f"CAST(%s AS {field.db_type(connection)})"
        for field in fields
    )
    history_columns = ", ".join(quote(field.column) for field in fields)
    return (
        f"WITH new AS ({_insert_sql('postgresql', model, rows)} RETURNING *), "  # noqa: S608
        f"history AS (INSERT INTO {quote(history._meta.db_table)} ({history_columns}) "
        f"SELECT {values} FROM new) "
        f"SELECT {quote(model._meta.pk.column)} FROM new"
    )


# --- Articles and sources -------------------------------------------------------------------


@cache
def _claim_article_sql() -> str:
    table = connection.ops.quote_name(Article._meta.db_table)
    return (
        f"UPDATE {table} SET status = %s, attempts = attempts + 1, "  # noqa: S608
        "updated_at = %s, retry_after = NULL "
        "WHERE id = %s AND source_id IS NULL AND ("
        "(status = %s AND (retry_after IS NULL OR retry_after <= %s))"
        " OR (status = %s AND updated_at < %s)"
        ") RETURNING url, attempts"
    )


def claim_article(article_id: int, *, take_over: bool = False) -> tuple[str, int] | None:
    """Claim an article for fetching and count the attempt: its URL and attempts, or None
    when it is missing, stored, failed, waiting for its retry, or being fetched by a live
    attempt. An attempt older than the task's hard time limit is dead and may be taken over;
    with `take_over`, the caller knows the attempt is over (it is that attempt's retry)."""
    now = timezone.now()
    dead_before = now if take_over else now - dt.timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT)
    with connection.cursor() as cursor:
        cursor.execute(
            _claim_article_sql(),
            [
                Article.Status.FETCHING,
                now,
                article_id,
                Article.Status.QUEUED,
                now,
                Article.Status.FETCHING,
                dead_before,
            ],
        )
        row = cursor.fetchone()
    return (row[0], row[1]) if row else None


@cache
def _link_article_sql() -> str:
    table = connection.ops.quote_name(Article._meta.db_table)
    return f"UPDATE {table} SET source_id = %s, status = %s, error = '' WHERE id = %s"  # noqa: S608


def link_article(article_id: int, source_id: int, *, done: bool) -> None:
    """Point the article at its source: done, or extracting when the source was stored
    before."""
    status = Article.Status.DONE if done else Article.Status.EXTRACTING
    with connection.cursor() as cursor:
        cursor.execute(_link_article_sql(), [source_id, status, article_id])


@cache
def _stored_sources_sql() -> str:
    table = connection.ops.quote_name(Source._meta.db_table)
    return f"SELECT id, url FROM {table} WHERE url = %s OR content_hash = %s"  # noqa: S608


def stored_sources(url: str, digest: str) -> list[tuple[int, str]]:
    """(id, url) of the sources stored under this URL or with this text: none, for almost
    every article."""
    with connection.cursor() as cursor:
        cursor.execute(_stored_sources_sql(), [url, digest])
        return cursor.fetchall()
