"""End-to-end ingestion through the Celery worker: queue a feed poll, wait until every article
it lists is stored and extracted. Run with DATABASE_URL and CELERY_BROKER_URL set:
`python -m bench.ingest_driver FEED_URL COUNT`; prints JSON."""

from __future__ import annotations

import json
import os
import sys
import time


def main() -> None:
    feed_url, count = sys.argv[1], int(sys.argv[2])
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    import django

    django.setup()
    from ingest import tasks
    from ingest.models import Article, Feed

    feed = Feed.objects.create(url=feed_url)
    started = time.perf_counter()
    tasks.poll_feed.delay(feed.pk)
    timeout = started + 900
    finished = Article.Status.DONE, Article.Status.FAILED
    while time.perf_counter() < timeout:
        articles = Article.objects.filter(feeds=feed)
        if articles.count() >= count and not articles.exclude(status__in=finished).exists():
            break
        time.sleep(0.1)
    elapsed = time.perf_counter() - started
    articles = Article.objects.filter(feeds=feed)
    print(
        json.dumps(
            {
                "seconds": elapsed,
                "done": articles.filter(status=Article.Status.DONE).count(),
                "failed": articles.filter(status=Article.Status.FAILED).count(),
                "pending": articles.exclude(status__in=finished).count(),
            }
        )
    )


if __name__ == "__main__":
    main()
