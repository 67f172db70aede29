"""Insert new rows and their history rows, as simple-history's `bulk_create_with_history`
writes them, with SQL built once per model and row count.

Ingestion inserts a source, its quotes and its candidates, each with a history row, for every
article; through the ORM, building those inserts cost a worker more CPU than the database spent
running them (docs/performance.md). Here the rows are one plain statement and their history
rows another, or on PostgreSQL one statement (a data-modifying WITH) whenever every history row
gets the same date, user and change reason, as ingestion's always do. `tests/test_inserts.py`
checks that the rows and history rows are the same as the ORM and simple-history write.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from functools import cache
from typing import TypeVar

from django.db import connection, models
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, get_change_reason_from_object

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
