"""Worker processes keep their database connection from one task to the next, as web
processes do between requests, and drop it when it broke."""

from __future__ import annotations

from types import SimpleNamespace
from unittest import mock

import pytest
from django.db import connection

from pledgewatch.celery import app, reuse_database_connections

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


def test_a_broken_connection_is_dropped_after_a_task():
    connection.ensure_connection()
    connection.errors_occurred = True
    with (
        mock.patch.object(connection, "is_usable", return_value=False),
        mock.patch.object(connection, "close") as close,
    ):
        reuse_database_connections(task=WORKER_TASK)
    close.assert_called_once()


def test_an_eager_task_leaves_the_requests_connection_alone():
    connection.ensure_connection()
    connection.errors_occurred = True
    with (
        mock.patch.object(connection, "is_usable", return_value=False),
        mock.patch.object(connection, "close") as close,
    ):
        reuse_database_connections(task=EAGER_TASK)
    close.assert_not_called()
    connection.errors_occurred = False
