"""Find the original of a republished wire story among recent sources, without re-reading
hundreds of stored fingerprints for every new article."""

from __future__ import annotations

import threading

from django.db.models import Max

from ingest.canonical import is_near_duplicate
from pledges.models import Source

# How many recent originals a new source is compared with.
WINDOW = 500


class RecentFingerprints:
    """The fingerprints of the newest original sources, kept per process and topped up with
    only the rows added since the last look."""

    def __init__(self, size: int = WINDOW) -> None:
        self.size = size
        self._lock = threading.Lock()
        self._by_id: dict[int, list[int]] = {}
        self._newest = 0

    def original_of(self, fingerprint: list[int]) -> Source | None:
        if not fingerprint:
            return None
        with self._lock:
            self._refresh()
            recent = sorted(self._by_id.items(), reverse=True)
        for pk, other in recent:
            if is_near_duplicate(fingerprint, other):
                # Confirm against the stored row: the cache may hold a row since removed.
                source = Source.objects.filter(pk=pk, duplicate_of__isnull=True).first()
                if source and is_near_duplicate(fingerprint, source.fingerprint):
                    return source
                with self._lock:
                    self._by_id.pop(pk, None)
        return None

    def _refresh(self) -> None:
        newest = Source.objects.aggregate(newest=Max("pk"))["newest"] or 0
        if newest < self._newest:
            # Rows we had seen are gone (a restore, a rolled-back test): start again.
            self._by_id.clear()
            self._newest = 0
        if newest == self._newest:
            return
        added = (
            Source.objects.filter(pk__gt=self._newest, duplicate_of__isnull=True)
            .exclude(fingerprint=[])
            .order_by("-pk")
            .values_list("pk", "fingerprint")[: self.size]
        )
        self._by_id.update(added)
        self._newest = newest
        for pk in sorted(self._by_id)[: max(0, len(self._by_id) - self.size)]:
            del self._by_id[pk]


recent_fingerprints = RecentFingerprints()
