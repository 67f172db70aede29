"""A fingerprint of the curated data that changes with every write, read in one cheap query.

Rendered pages are cached under it (pledges.views): a key that changes with the data needs no
invalidation, and each process may keep its own copies. Writes that bypass the ORM's save and
delete (`QuerySet.update`, raw SQL) write no history row, so they are not seen: follow them
with `matrix_cache_clear()` in that process, or make them through the models.
"""

from __future__ import annotations

from functools import cache

from django.apps import apps
from django.core.cache import caches
from django.db import connection


@cache
def _version_sql() -> str:
    # Every table of the app: the models, their m2m tables and their history. Inserts raise a
    # table's largest id; updates and deletions through the ORM or the admin (including m2m
    # changes, and the review queue's accept) write a history row. Each MAX reads one end of
    # the primary-key index, so the query costs the same whatever the data size.
    models = apps.get_app_config("pledges").get_models(include_auto_created=True)
    quote = connection.ops.quote_name
    # Quoted names of the app's own tables, no user input.
    parts = [
        f"(SELECT MAX({quote(model._meta.pk.column)}) FROM {quote(model._meta.db_table)})"  # noqa: S608
        for model in sorted(models, key=lambda model: model._meta.db_table)
    ]
    return "SELECT " + ", ".join(parts)


def data_version() -> str:
    """Changes whenever anything the public pages show may have changed."""
    with connection.cursor() as cursor:
        cursor.execute(_version_sql())
        row = cursor.fetchone()
    return ".".join("-" if value is None else str(value) for value in row)


def matrix_cache_clear() -> None:
    """Forget this process's rendered matrix pages."""
    caches["matrix"].clear()
