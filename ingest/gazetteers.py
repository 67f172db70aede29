"""The extractor's view of the editors' data: the gazetteer (nations with their aliases,
leaders, pledge types) and the ids its names map to, rebuilt only when that data changes."""

from __future__ import annotations

import threading
from dataclasses import dataclass

from ingest.extractor import Gazetteer, LeaderEntry, NationEntry, PledgeTypeEntry
from pledges.data_version import data_version
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
_cache: dict[str, tuple[str, KnownNames]] = {}


def known_names() -> KnownNames:
    """The gazetteer and id lookups for the current data.

    Compiling the gazetteer's matchers costs far more than reading the rows, so each process
    keeps one until the data version of nations, leaders and pledge types changes (one cheap
    query per call; a write to them made any way changes it, pledges.data_version).
    """
    version = data_version(Nation, Leader, PledgeType)
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
