"""Model history (django-simple-history), with each model's history manager class built once.

simple-history builds a new manager class, copying every QuerySet method onto it, each time
`Model.history` is read; a history row is written for every saved or bulk-created row, so
ingesting an article reads it several times (docs/performance.md has what that cost).
"""

from __future__ import annotations

from functools import cache

from simple_history import models as simple_history
from simple_history.manager import HistoryManager


class _HistoryManager(HistoryManager):
    @classmethod
    @cache
    def from_queryset(cls, queryset_class, class_name=None):
        return super().from_queryset(queryset_class, class_name)


def HistoricalRecords(**options) -> simple_history.HistoricalRecords:
    """simple-history's HistoricalRecords (same options), with the cached manager class."""
    return simple_history.HistoricalRecords(history_manager=_HistoryManager, **options)
