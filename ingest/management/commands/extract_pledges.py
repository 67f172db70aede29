"""`manage.py extract_pledges PATH... --format jsonl`: run the extractor on files and print
its candidates; reads and writes no database row."""

from __future__ import annotations

import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from ingest.extractor import default_gazetteer, load_backend
from ingest.extractor.budget import OutOfTime, time_limit
from ingest.web.errors import ParseError
from ingest.web.pages import parse_article


class Command(BaseCommand):
    help = (
        "Print the candidate pledges the extractor finds in saved articles (text or HTML). "
        "Uses the seed gazetteer (seeds/*.json), so no database is needed."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("paths", nargs="+", type=Path, metavar="PATH")
        parser.add_argument("--format", choices=["jsonl", "text"], default="text")

    def handle(self, *args, paths: list[Path], format: str, **options) -> None:
        extractor = load_backend(settings.PLEDGE_EXTRACTOR)
        gazetteer = default_gazetteer()
        for path in paths:
            try:
                text = _read_text(path)
            except (OSError, ParseError) as error:
                raise CommandError(f"{path}: {error}") from error
            try:
                with time_limit(settings.ARTICLE_TIME_LIMIT):
                    candidates = extractor.extract(text, gazetteer).candidates
            except OutOfTime:
                raise CommandError(
                    f"{path}: stopped after {settings.ARTICLE_TIME_LIMIT} s (ARTICLE_TIME_LIMIT)"
                ) from None
            for candidate in candidates:
                row = {
                    "file": str(path),
                    "nation": candidate.nation,
                    "type": candidate.type,
                    "stance": candidate.stance,
                    "confidence": round(candidate.confidence, 3),
                    "evidence": candidate.evidence,
                    "conditions": list(candidate.conditions),
                    "speaker": candidate.speaker,
                    "quote": candidate.quote,
                }
                if format == "jsonl":
                    self.stdout.write(json.dumps(row, ensure_ascii=False))
                else:
                    self.stdout.write(
                        f"{path}: {row['nation']} {row['type']} {row['stance']} "
                        f"({row['confidence']}): {row['evidence']}"
                    )


def _read_text(path: Path) -> str:
    body = path.read_bytes()
    if path.suffix.lower() in {".html", ".htm", ".xhtml"}:
        return parse_article(body, content_type="text/html", charset=None, url=path.name).text
    return body.decode("utf-8", errors="replace")
