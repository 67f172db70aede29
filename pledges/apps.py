from __future__ import annotations

from django.apps import AppConfig
from django.db.backends.signals import connection_created
from django.db.models.signals import post_migrate


class PledgesConfig(AppConfig):
    name = "pledges"
    verbose_name = "Pledges"

    def ready(self) -> None:
        from .data_version import restore_sqlite_triggers, watch_writes

        connection_created.connect(watch_writes, dispatch_uid="pledges.note_writes")
        post_migrate.connect(
            restore_sqlite_triggers, sender=self, dispatch_uid="pledges.sqlite_triggers"
        )
