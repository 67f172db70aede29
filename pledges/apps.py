from __future__ import annotations

from django.apps import AppConfig
from django.db.backends.signals import connection_created


class PledgesConfig(AppConfig):
    name = "pledges"
    verbose_name = "Pledges"

    def ready(self) -> None:
        from .data_version import watch_writes

        connection_created.connect(watch_writes, dispatch_uid="pledges.note_writes")
