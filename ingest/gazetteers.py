"""The extractor's gazetteer built from the editors' data, rebuilt when that data changes."""

from __future__ import annotations

import threading

from django.db.models import Count, Max

from ingest.extractor import Gazetteer, LeaderEntry, NationEntry, PledgeTypeEntry
from pledges.models import Leader, Nation, PledgeType

_lock = threading.Lock()
_cache: dict[str, tuple[tuple, Gazetteer]] = {}


def _data_version() -> tuple:
    # Any edit through the ORM or the admin writes a history row, and a deletion lowers a
    # count, so together they change whenever the gazetteer's inputs do.
    version: tuple = ()
    for model in (Nation, Leader, PledgeType):
        stats = model.history.aggregate(changed=Max("history_date"), rows=Count("history_id"))
        version += (stats["changed"], stats["rows"], model.objects.count())
    return version


def gazetteer_from_db() -> Gazetteer:
    """Nations with their aliases, leaders and pledge types as the extractor needs them.

    Compiling the gazetteer's matchers costs far more than these queries, so one compiled
    gazetteer is kept per process until the data version changes.
    """
    version = _data_version()
    with _lock:
        cached = _cache.get("db")
        if cached and cached[0] == version:
            return cached[1]
    gazetteer = Gazetteer(
        nations=tuple(
            NationEntry(
                iso2=nation.iso2,
                name=nation.name,
                aliases=tuple(nation.aliases),
                demonyms=tuple(nation.demonyms),
                metonyms=tuple(filter(None, [nation.capital, *nation.seats])),
            )
            for nation in Nation.objects.all()
        ),
        leaders=tuple(
            LeaderEntry(
                name=leader.name,
                nation_iso2=leader.nation.iso2,
                office=leader.office,
                aliases=tuple(leader.aliases),
            )
            for leader in Leader.objects.select_related("nation")
        ),
        pledge_types=tuple(
            PledgeTypeEntry(
                slug=pledge_type.slug,
                name=pledge_type.name,
                description=pledge_type.description,
                signals=tuple(pledge_type.signals),
            )
            for pledge_type in PledgeType.objects.all()
        ),
    )
    with _lock:
        _cache["db"] = (version, gazetteer)
    return gazetteer
