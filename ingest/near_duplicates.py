"""Find the original of a republished wire story among recent sources, without re-reading
hundreds of stored fingerprints for every new article, or comparing with each of them."""

from __future__ import annotations

import threading
from collections import Counter, defaultdict
from functools import cache

from django.db import connection
from django.db.models import Max

from ingest.web.canonical import NEAR_DUPLICATE_THRESHOLD, is_near_duplicate
from pledges.models import Source

# How many recent originals a new source is compared with.
WINDOW = 500


class RecentFingerprints:
    """The fingerprints of the newest original sources, kept per process and topped up with
    only the rows added since the last look.

    They are indexed by (position, hash value), so the positions where a new signature agrees
    with each cached one are counted from its 64 values instead of comparing it with every
    cached signature in turn. The index holds tens of thousands of entries, so each is kept
    small: an int key and a tuple of ids (a worker's memory must stay flat). A forgotten id
    stays in the index until `size` more are forgotten, when it is rebuilt: cheaper than
    taking it out of every tuple that lists it (docs/performance.md).
    """

    def __init__(self, size: int = WINDOW) -> None:
        self.size = size
        self._lock = threading.Lock()
        self._by_id: dict[int, list[int]] = {}
        self._ids_by_value: dict[int, tuple[int, ...]] = {}
        self._forgotten = 0  # ids still listed in _ids_by_value but no longer in _by_id
        self._newest = 0

    def original_of(self, fingerprint: list[int]) -> Source | None:
        if not fingerprint:
            return None
        with self._lock:
            self._refresh()
            similar = self._agreeing_enough(fingerprint)
        for pk, other in similar:
            if is_near_duplicate(fingerprint, other):
                # Confirm against the stored row: the cache may hold a row since removed.
                source = Source.objects.filter(pk=pk, duplicate_of__isnull=True).first()
                if source and is_near_duplicate(fingerprint, source.fingerprint):
                    return source
                with self._lock:
                    self._forget(pk)
        return None

    def _agreeing_enough(self, fingerprint: list[int]) -> list[tuple[int, list[int]]]:
        """The cached (id, fingerprint) pairs that agree with `fingerprint` in enough positions
        to be near duplicates, newest first."""
        agreements: Counter[int] = Counter()
        for key in _keys(fingerprint):
            agreements.update(self._ids_by_value.get(key, ()))
        needed = NEAR_DUPLICATE_THRESHOLD * len(fingerprint)
        ids = sorted(
            (pk for pk, count in agreements.items() if count >= needed and pk in self._by_id),
            reverse=True,
        )
        return [(pk, self._by_id[pk]) for pk in ids]

    def _refresh(self) -> None:
        added = self._originals_after(self._newest)
        if not added and self._newest > (Source.objects.aggregate(Max("pk"))["pk__max"] or 0):
            # Rows we had seen are gone (a restore, a rolled-back test): start again.
            self._by_id.clear()
            self._ids_by_value.clear()
            self._forgotten = 0
            self._newest = 0
            added = self._originals_after(0)
        for pk, fingerprint in added:
            self._remember(pk, fingerprint)
        if added:
            self._newest = added[0][0]
        for pk in sorted(self._by_id)[: max(0, len(self._by_id) - self.size)]:
            self._forget(pk)

    def _originals_after(self, pk: int) -> list[tuple[int, list[int]]]:
        """The newest original sources added after `pk`, newest first: one query per new
        article, and a second only when there are none. Plain SQL: building the ORM's query
        cost several times more than running it."""
        fingerprint = Source._meta.get_field("fingerprint")
        with connection.cursor() as cursor:
            cursor.execute(_originals_after_sql(), [pk, self.size])
            return [
                (row_pk, fingerprint.from_db_value(value, None, connection))
                for row_pk, value in cursor.fetchall()
            ]

    def _remember(self, pk: int, fingerprint: list[int]) -> None:
        self._by_id[pk] = fingerprint
        for key in _keys(fingerprint):
            self._ids_by_value[key] = (*self._ids_by_value.get(key, ()), pk)

    def _forget(self, pk: int) -> None:
        if self._by_id.pop(pk, None) is None:
            return
        self._forgotten += 1
        if self._forgotten > self.size:
            self._reindex()

    def _reindex(self) -> None:
        holders: defaultdict[int, list[int]] = defaultdict(list)
        for pk, fingerprint in self._by_id.items():
            for key in _keys(fingerprint):
                holders[key].append(pk)
        self._ids_by_value = {key: tuple(ids) for key, ids in holders.items()}
        self._forgotten = 0


@cache
def _originals_after_sql() -> str:
    table = connection.ops.quote_name(Source._meta.db_table)
    # An empty fingerprint is the JSON "[]": that text on SQLite, jsonb on PostgreSQL.
    return (
        f"SELECT id, fingerprint FROM {table} "  # noqa: S608
        "WHERE id > %s AND duplicate_of_id IS NULL AND fingerprint <> '[]' "
        "ORDER BY id DESC LIMIT %s"
    )


def _keys(fingerprint: list[int]) -> list[int]:
    # Signature values are below 2**32. Were one not, keys could collide: agreements would be
    # overcounted, never missed, and every match is confirmed by comparing whole signatures.
    return [position << 32 | value for position, value in enumerate(fingerprint)]


recent_fingerprints = RecentFingerprints()
