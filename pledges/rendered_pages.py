"""Rendered matrix pages kept in this process's memory.

Keys carry the data version (pledges.data_version) that every write changes, so an entry is
never invalidated, only pushed out by newer ones: each process keeps its own copies and needs
no shared invalidation. Values are kept as the objects themselves, not pickled as Django's
local-memory cache does, because copying a megabyte-sized page on every hit would cost more
than the rest of the request.
"""

from __future__ import annotations

import threading
from collections import OrderedDict

from django.conf import settings

_lock = threading.Lock()
_pages: OrderedDict[str, object] = OrderedDict()


def get(key: str) -> object | None:
    with _lock:
        page = _pages.get(key)
        if page is not None:
            _pages.move_to_end(key)
        return page


def put(key: str, page: object) -> None:
    """Keep `page`, forgetting the least recently used beyond MATRIX_CACHE_ENTRIES."""
    with _lock:
        _pages[key] = page
        _pages.move_to_end(key)
        while len(_pages) > settings.MATRIX_CACHE_ENTRIES:
            _pages.popitem(last=False)


def clear() -> None:
    with _lock:
        _pages.clear()
