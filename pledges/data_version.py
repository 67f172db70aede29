"""A number that changes with every write the commitment matrix can show, read in one
primary-key lookup.

Rendered matrix pages are cached under it (pledges.views): a key that changes with the data
needs no invalidation, and each process may keep its own copies. Database triggers keep it
(migration 0004, which says what they count and why), so writes made any way — the models,
the admin, bulk operations, `QuerySet.update`, raw SQL — all change it.
"""

from __future__ import annotations

from django.db import connection

from . import rendered_pages

_VERSION_SQL = {
    "sqlite": "SELECT n FROM pledges_matrixversion",
    # The newest change and how many are kept: a transaction that took an older id but
    # commits after a newer one still changes the count.
    "postgresql": "SELECT MAX(id), COUNT(*) FROM pledges_matrixchange",
}


def data_version() -> str:
    """Changes whenever anything the matrix shows may have changed."""
    with connection.cursor() as cursor:
        cursor.execute(_VERSION_SQL[connection.vendor])
        row = cursor.fetchone()
    return ".".join(str(value) for value in row)


def matrix_cache_clear() -> None:
    """Forget this process's rendered matrix pages."""
    rendered_pages.clear()
