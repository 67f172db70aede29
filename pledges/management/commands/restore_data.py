"""`manage.py restore_data PATH`: load a backup_data file into an empty, migrated database."""

from __future__ import annotations

import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from pledges.backup import BackupError, backup_restore


class Command(BaseCommand):
    help = (
        "Load a file written by `manage.py backup_data` into a database that has been "
        "migrated but holds no data (no `load_seed`). All or nothing: refuses a database "
        "with data in it, and a damaged or truncated file."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("path", type=Path, help="A file written by backup_data")

    def handle(self, *args, path: Path, **options) -> None:
        if not path.is_file():
            raise CommandError(f"{path} does not exist.")
        started = time.perf_counter()
        try:
            counts = backup_restore(path)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"Restored {sum(counts.values()):,} rows of {len(counts)} tables from {path} "
            f"in {time.perf_counter() - started:.1f} s."
        )
