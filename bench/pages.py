"""Server time and SQL queries of the public pages, through Django's full request stack.

Run as `python -m bench.pages --size small|large` with DATABASE_URL set; prints JSON.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import time

REPEATS = 15
WARMUP = 3
HTMX = {"HX-Request": "true"}


def measure(client, url: str, headers: dict | None = None) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from pledges.data_version import forget_data_version

    headers = headers or {}
    for _ in range(WARMUP):
        response = client.get(url, headers=headers)
        assert response.status_code == 200, (url, response.status_code)
    timings = []
    for _ in range(REPEATS):
        started = time.perf_counter()
        response = client.get(url, headers=headers)
        timings.append((time.perf_counter() - started) * 1000)
    # Counted as when the process reads the data version again (once per MATRIX_RECHECK_MS;
    # in between, a cached matrix takes no query at all).
    forget_data_version()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, headers=headers)
    # Counted now: the next request empties the connection's query log.
    query_count = len(queries)
    body = b"".join(response) if response.streaming else response.content
    gzipped = client.get(url, headers={**headers, "Accept-Encoding": "gzip"})
    return {
        "ms": statistics.median(timings),
        "queries": query_count,
        "bytes": len(body),
        "gzip_bytes": len(gzipped.content) if gzipped.has_header("Content-Encoding") else None,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", choices=["small", "large"], required=True)
    size = parser.parse_args().size
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    import django

    django.setup()
    from django.test import Client

    from pledges.models import Bloc

    client = Client()
    results = {}
    full = measure(client, "/")
    results[f"matrix_ms.{size}"] = full["ms"]
    results[f"matrix_queries.{size}"] = full["queries"]
    results[f"matrix_bytes.{size}"] = full["bytes"]
    results[f"matrix_gzip_bytes.{size}"] = full["gzip_bytes"]
    world = measure(client, "/map/?type=troops")
    for field in ("ms", "queries", "bytes", "gzip_bytes"):
        results[f"map_{field}.{size}"] = world[field]
    if size == "large":
        bloc = Bloc.objects.filter(slug="nato").first() or Bloc.objects.order_by("slug").first()
        partial = measure(client, f"/?bloc={bloc.slug}&type=troops&type=air", HTMX)
        results["matrix_partial_ms.large"] = partial["ms"]
        results["matrix_partial_bytes.large"] = partial["bytes"]
        results["matrix_partial_queries.large"] = partial["queries"]
        for key, url in (
            ("cell", "/cells/FR/troops/"),
            ("nation", "/nations/FR/"),
            ("csv", "/matrix.csv"),
        ):
            page = measure(client, url)
            results[f"{key}_ms.large"] = page["ms"]
            results[f"{key}_queries.large"] = page["queries"]
    print(json.dumps(results))


if __name__ == "__main__":
    main()
