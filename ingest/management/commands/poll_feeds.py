"""`manage.py poll_feeds`: poll every active feed now and ingest what is new."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from ingest import services, tasks
from ingest.models import Feed


class Command(BaseCommand):
    help = "Poll every active feed that is not backing off, as beat does on its schedule."

    def handle(self, *args, **options) -> None:
        for feed_id in services.feeds_due():
            new = services.feed_poll(feed_id)
            for article_id in new:
                # In-process, whatever the broker setting: the command's caller waits for it.
                tasks.fetch_article.apply(args=[article_id])
            feed = Feed.objects.get(pk=feed_id)
            problem = f" (error: {feed.last_error})" if feed.last_error else ""
            self.stdout.write(f"{feed}: {len(new)} new articles{problem}")
