from __future__ import annotations

from django.apps import AppConfig
from django.db.backends.signals import connection_created


class PledgesConfig(AppConfig):
    name = "pledges"
    verbose_name = "Pledges"

    def ready(self) -> None:
        connection_created.connect(_watch_writes, dispatch_uid="pledges.note_writes")


def _watch_writes(sender, connection, **kwargs) -> None:
    from .data_version import note_writes

    # Fired again on every reconnect of the same connection object.
    if note_writes not in connection.execute_wrappers:
        connection.execute_wrappers.append(note_writes)
