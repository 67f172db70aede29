"""Worker processes keep their database connection from one task to the next, as web
processes do between requests, and drop it when it broke."""

from __future__ import annotations

from types import SimpleNamespace
from unittest import mock

import pytest
from django.db import connection

from pledgewatch.celery import app, compile_gazetteer_before_forking, reuse_database_connections

pytestmark = pytest.mark.usefixtures("transactional_db")

WORKER_TASK = SimpleNamespace(request=SimpleNamespace(is_eager=False))
EAGER_TASK = SimpleNamespace(request=SimpleNamespace(is_eager=True))


def test_a_worker_keeps_its_connection_between_tasks():
    assert app.conf.db_reuse_max  # or Celery's fixup closes it around every task
    # A healthy connection to start from: an earlier test may have left this one broken.
    connection.close()
    connection.ensure_connection()
    kept = connection.connection
    reuse_database_connections(task=WORKER_TASK)
    connection.ensure_connection()
    assert connection.connection is kept


@pytest.mark.parametrize(
    ("task", "dropped"),
    [(WORKER_TASK, True), (EAGER_TASK, False)],
    ids=["a worker drops a broken connection", "an eager task leaves the request's alone"],
)
def test_a_broken_connection_after_a_task(task, dropped):
    connection.ensure_connection()
    connection.errors_occurred = True
    with (
        mock.patch.object(connection, "is_usable", return_value=False),
        mock.patch.object(connection, "close") as close,
    ):
        reuse_database_connections(task=task)
    assert close.call_count == (1 if dropped else 0)
    connection.errors_occurred = False


def test_the_main_process_compiles_the_gazetteer_before_forking():
    from ingest import gazetteers
    from pledges.seeding import seed_load

    seed_load()
    gazetteers._cache.clear()
    compile_gazetteer_before_forking("worker@test", instance=None)
    # What a forked pool process inherits: the compiled gazetteer, and no open connection
    # (Django never closes an in-memory SQLite database: it would lose it).
    assert connection.connection is None or connection.is_in_memory_db()
    inherited = gazetteers._cache["db"][1].gazetteer
    assert "compiled" in vars(inherited)
    assert gazetteers.known_names().gazetteer is inherited
