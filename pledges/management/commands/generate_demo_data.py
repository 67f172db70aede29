"""`manage.py generate_demo_data`: add a large, reproducible demo data set (pledges.demo_data)."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from pledges.demo_data import FULL_SCALE, demo_data_generate


class Command(BaseCommand):
    help = (
        "Add years of generated pledges, sources, quotes and leaders for demos and benchmarks "
        f"({', '.join(f'{n:,} {kind}' for kind, n in FULL_SCALE.items())} at scale 1). "
        "Seeded and reproducible; never changes the seed entries; does nothing when present."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--scale", type=float, default=1.0, help="Fraction of the full size (default 1)."
        )
        parser.add_argument("--seed", type=int, default=2025, help="Random seed (default 2025).")

    def handle(self, *args, scale: float, seed: int, **options) -> None:
        if not 0 < scale <= 10:
            raise CommandError("--scale must be above 0 and at most 10.")
        started = time.perf_counter()
        report = demo_data_generate(scale=scale, seed=seed)
        if report.created:
            # The planner's statistics still describe nearly empty tables: on PostgreSQL a
            # cell's evidence took 110 ms instead of 30 until autovacuum caught up.
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        self.stdout.write(f"{report} in {time.perf_counter() - started:.1f} s")
