"""`manage.py ingest_url URL...`: fetch, store and extract articles now, in this process."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from ingest import services
from ingest.models import Article


class Command(BaseCommand):
    help = "Fetch one or more article URLs through the guarded fetcher and extract candidates."

    def add_arguments(self, parser) -> None:
        parser.add_argument("urls", nargs="+", metavar="URL")

    def handle(self, *args, urls: list[str], **options) -> None:
        failed = 0
        for url in urls:
            try:
                article = services.article_submit(url).article
            except services.SubmissionRefused as error:
                self.stderr.write(f"{url}: {error}")
                failed += 1
                continue
            # Fetched here, once, within the article's time limit; nothing retries it later,
            # so a transient error fails it with the time it may be tried again.
            services.article_fetch(article.pk)
            article = Article.objects.select_related("source").get(pk=article.pk)
            if article.status == Article.Status.FAILED:
                self.stderr.write(f"{url}: failed: {article.error}{_next_attempt(article)}")
                failed += 1
            elif article.status == Article.Status.DONE and article.source:
                self.stdout.write(
                    f"{url}: done, source {article.source_id}, "
                    f"{article.source.candidates.count()} candidates"
                )
            else:
                # Claimed by another process (a worker, a second command) or waiting for the
                # retry it scheduled: that one reports it.
                self.stdout.write(
                    f"{url}: {article.status} elsewhere{_next_attempt(article)}; "
                    f"article {article.pk}"
                )
        if failed:
            raise CommandError(f"{failed} of {len(urls)} URLs failed")


def _next_attempt(article: Article) -> str:
    if article.retry_after is None:
        return ""
    when = timezone.localtime(article.retry_after).isoformat(timespec="seconds")
    return f" (next attempt not before {when})"
