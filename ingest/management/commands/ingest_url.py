"""`manage.py ingest_url URL...`: fetch, store and extract articles now, in this process."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from ingest import services
from ingest.fetch_errors import FetchError
from ingest.models import Article


class Command(BaseCommand):
    help = "Fetch one or more article URLs through the guarded fetcher and extract candidates."

    def add_arguments(self, parser) -> None:
        parser.add_argument("urls", nargs="+", metavar="URL")

    def handle(self, *args, urls: list[str], **options) -> None:
        failed = 0
        for url in urls:
            try:
                article = services.article_submit(url)
                source_id = services.article_fetch(article.pk)
            except (services.SubmissionRefused, FetchError) as error:
                self.stderr.write(f"{url}: {error}")
                failed += 1
                continue
            if source_id is not None:
                services.source_extract(source_id)
            article.refresh_from_db()
            if article.status == Article.Status.FAILED:
                self.stderr.write(f"{url}: {article.error}")
                failed += 1
            else:
                self.stdout.write(
                    f"{url}: {article.status}, source {article.source_id}, "
                    f"{article.source.candidates.count()} candidates"
                )
        if failed:
            raise CommandError(f"{failed} of {len(urls)} URLs failed")
