"""The extractor's view of the editors' data: the gazetteer (nations with their aliases,
leaders, pledge types) and the ids its names map to, rebuilt only when that data changes."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from functools import cache

from django.db import connection

from ingest.extractor import Gazetteer, LeaderEntry, NationEntry, PledgeTypeEntry
from pledges.models import Leader, Nation, PledgeType


@dataclass(frozen=True)
class KnownNames:
    """What extraction needs from the database, read once per data version."""

    gazetteer: Gazetteer
    nation_ids: dict[str, int]
    pledge_type_ids: dict[str, int]
    # leader name -> (leader id, nation id)
    leaders: dict[str, tuple[int, int]]


_lock = threading.Lock()
_cache: dict[str, tuple[tuple, KnownNames]] = {}


@cache
def _data_version_sql() -> str:
    # Built once: each `Model.history` builds a new manager class, which costs more than the
    # query.
    quote = connection.ops.quote_name
    newest = [
        f"(SELECT MAX(history_id) FROM {quote(model.history.model._meta.db_table)})"  # noqa: S608
        for model in (Nation, Leader, PledgeType)
    ]
    return "SELECT " + ", ".join(newest)


def _data_version() -> tuple:
    # Saves, deletions and admin edits of nations, leaders and pledge types each write a
    # history row, so the newest history ids change whenever the gazetteer's inputs do. One
    # query; each MAX reads one end of a primary-key index.
    with connection.cursor() as cursor:
        cursor.execute(_data_version_sql())
        return tuple(cursor.fetchone())


def known_names() -> KnownNames:
    """The gazetteer and id lookups for the current data.

    Compiling the gazetteer's matchers costs far more than reading the rows, so each process
    keeps one until the data version changes (one cheap query per call).
    """
    version = _data_version()
    with _lock:
        cached = _cache.get("db")
        if cached and cached[0] == version:
            return cached[1]
    nations = list(Nation.objects.all())
    leaders = list(Leader.objects.select_related("nation"))
    pledge_types = list(PledgeType.objects.all())
    names = KnownNames(
        gazetteer=Gazetteer(
            nations=tuple(
                NationEntry(
                    iso2=nation.iso2,
                    name=nation.name,
                    aliases=tuple(nation.aliases),
                    demonyms=tuple(nation.demonyms),
                    metonyms=tuple(filter(None, [nation.capital, *nation.seats])),
                )
                for nation in nations
            ),
            leaders=tuple(
                LeaderEntry(
                    name=leader.name,
                    nation_iso2=leader.nation.iso2,
                    office=leader.office,
                    aliases=tuple(leader.aliases),
                )
                for leader in leaders
            ),
            pledge_types=tuple(
                PledgeTypeEntry(
                    slug=pledge_type.slug,
                    name=pledge_type.name,
                    description=pledge_type.description,
                    signals=tuple(pledge_type.signals),
                )
                for pledge_type in pledge_types
            ),
        ),
        nation_ids={nation.iso2: nation.pk for nation in nations},
        pledge_type_ids={pledge_type.slug: pledge_type.pk for pledge_type in pledge_types},
        leaders={leader.name: (leader.pk, leader.nation_id) for leader in leaders},
    )
    with _lock:
        _cache["db"] = (version, names)
    return names


def gazetteer_from_db() -> Gazetteer:
    return known_names().gazetteer
