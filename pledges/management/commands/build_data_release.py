"""`manage.py build_data_release`: build the bulk downloads now, as beat's task does."""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand

from pledges.releases import build_if_changed


class Command(BaseCommand):
    help = (
        "Build a dated release of the bulk downloads (CSV, JSON Lines, XLSX, datapackage.json, "
        "delta.json) under DATA_RELEASES_DIR when the data changed since the newest release, "
        "and drop releases beyond DATA_RELEASES_KEPT."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--force", action="store_true", help="Build a release even if nothing changed."
        )

    def handle(self, *args, force: bool, **options) -> None:
        result = build_if_changed(force=force)
        if result.release_id:
            self.stdout.write(f"Built release {result.release_id} in {settings.DATA_RELEASES_DIR}.")
        else:
            self.stdout.write(f"No release built: {result.reason}.")
