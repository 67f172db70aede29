"""`manage.py ingest_file PATH...`: store saved HTML or text files as sources and extract."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ingest import services
from ingest.web.errors import ParseError


class Command(BaseCommand):
    help = "Ingest saved articles (HTML or plain text) through the same pipeline as fetched ones."

    def add_arguments(self, parser) -> None:
        parser.add_argument("paths", nargs="+", type=Path, metavar="PATH")

    def handle(self, *args, paths: list[Path], **options) -> None:
        for path in paths:
            try:
                source = services.source_from_file(path)
            except (OSError, ParseError) as error:
                raise CommandError(f"{path}: {error}") from error
            created = services.source_extract(source.pk)
            self.stdout.write(
                f"{path}: source {source.pk}, {created} new candidates "
                f"({source.candidates.filter(status='pending').count()} pending review)"
            )
