"""`manage.py load_seed`: load the seed data; safe to run on every start."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from pledges.seeding import SeedError, seed_load


class Command(BaseCommand):
    help = "Load nations, blocs, pledge types, leaders and the seed article's entries (idempotent)."

    def handle(self, *args, **options) -> None:
        try:
            report = seed_load()
        except (SeedError, FileNotFoundError) as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(str(report))
