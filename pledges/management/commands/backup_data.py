"""`manage.py backup_data PATH`: every curated row and its history in one gzipped file."""

from __future__ import annotations

import time
from pathlib import Path

from django.core.management.base import BaseCommand

from pledges.backup import backup_write


class Command(BaseCommand):
    help = (
        "Write nations, blocs, leaders, pledge types, pledges, conditions, sources, quotes, "
        "feeds, articles, candidates, their history and the editors' accounts to one file "
        "(gzipped JSON lines). Restore it with `manage.py restore_data PATH`."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("path", type=Path, help="File to write, e.g. pledgewatch.jsonl.gz")

    def handle(self, *args, path: Path, **options) -> None:
        started = time.perf_counter()
        counts = backup_write(path)
        self.stdout.write(
            f"Wrote {sum(counts.values()):,} rows of {len(counts)} tables to {path} "
            f"in {time.perf_counter() - started:.1f} s."
        )
