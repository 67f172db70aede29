"""Load the seed data in `seeds/`: every ISO nation with its aliases, blocs, pledge types,
leaders, and the entries the seed article states.

Every seeded row carries a seed key (a nation's ISO code, a bloc's or type's slug, a leader's
nation and name, the key written in `seed_article.json`). A key is loaded once: a row that
carries it, or ever carried it (its history keeps the key after an editor deletes the row),
is never re-created, overwritten or deleted, so `make run` can load on every start and an
editor's change always stands. A seed row whose nation, type or leader an editor deleted is
skipped.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Model
from django.utils.text import slugify
from simple_history.utils import bulk_create_with_history

from .models import Bloc, Condition, Leader, Nation, Pledge, PledgeType, Quote, Source

SEEDS_DIR = Path(settings.BASE_DIR) / "seeds"


class SeedError(Exception):
    """The seed files are inconsistent (e.g. a pledge names a leader that is not listed)."""


@dataclass
class SeedReport:
    created: dict[str, int] = field(default_factory=dict)

    def add(self, kind: str, count: int = 1) -> None:
        self.created[kind] = self.created.get(kind, 0) + count

    def __str__(self) -> str:
        if not any(self.created.values()):
            return "Seed data already loaded; nothing created."
        return "Created " + ", ".join(f"{n} {kind}" for kind, n in self.created.items() if n)


def _read(seeds_dir: Path, name: str):
    with open(seeds_dir / name, encoding="utf-8") as handle:
        return json.load(handle)


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


# Any fixed number, the same in every process: the key of the loaders' advisory lock.
SEED_LOCK_KEY = 0x5EED_1


@transaction.atomic
def seed_load(seeds_dir: Path = SEEDS_DIR) -> SeedReport:
    _one_loader_at_a_time()
    report = SeedReport()
    _load_nations(seeds_dir, report)
    _load_blocs(seeds_dir, report)
    _load_pledge_types(seeds_dir, report)
    _load_leaders(seeds_dir, report)
    _load_seed_article(seeds_dir, report)
    return report


def _one_loader_at_a_time() -> None:
    """Two loaders at once on PostgreSQL would both find a row missing and both insert it;
    the second waits here until the first commits, then finds everything there. SQLite's
    IMMEDIATE transactions already run them one after the other."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [SEED_LOCK_KEY])


def _unseen(model: type[Model], keys: list[str]) -> list[str]:
    """The keys no row of `model` carries or ever carried, in their order."""
    live = model.objects.filter(seed_key__in=keys).values_list("seed_key", flat=True)
    past = model.history.filter(seed_key__in=keys).values_list("seed_key", flat=True)
    seen = set(live) | set(past)
    return [key for key in keys if key not in seen]


def _by_key(model: type[Model]) -> dict:
    return {row.seed_key: row for row in model.objects.filter(seed_key__isnull=False)}


def leader_key(row: dict) -> str:
    return slugify(f"{row['nation']} {row['name']}")


def _load_nations(seeds_dir: Path, report: SeedReport) -> None:
    rows = {row["iso2"]: row for row in _read(seeds_dir, "nations.json")}
    missing = [
        Nation(
            seed_key=iso2,
            iso2=iso2,
            iso3=row["iso3"],
            name=row["name"],
            demonyms=row.get("demonyms", []),
            capital=row.get("capital") or "",
            seats=row.get("seats", []),
            aliases=row.get("aliases", []),
        )
        for iso2 in _unseen(Nation, list(rows))
        for row in [rows[iso2]]
    ]
    if missing:
        bulk_create_with_history(missing, Nation, batch_size=500)
    report.add("nations", len(missing))


def _load_blocs(seeds_dir: Path, report: SeedReport) -> None:
    listed = {row["iso2"] for row in _read(seeds_dir, "nations.json")}
    nations = _by_key(Nation)
    rows = {row["slug"]: row for row in _read(seeds_dir, "blocs.json")}
    for slug in _unseen(Bloc, list(rows)):
        row = rows[slug]
        unknown = [iso2 for iso2 in row["members"] if iso2 not in listed]
        if unknown:
            raise SeedError(f"bloc {slug} lists unknown nations {unknown}")
        bloc = Bloc.objects.create(
            seed_key=slug, slug=slug, name=row["name"], description=row["description"]
        )
        # Membership is only seeded with the bloc: an editor's later removal sticks.
        bloc.nations.add(*(nations[iso2] for iso2 in row["members"] if iso2 in nations))
        report.add("blocs")


def _load_pledge_types(seeds_dir: Path, report: SeedReport) -> None:
    rows = {row["slug"]: row for row in _read(seeds_dir, "pledge_types.json")}
    for slug in _unseen(PledgeType, list(rows)):
        row = rows[slug]
        PledgeType.objects.create(
            seed_key=slug,
            slug=slug,
            name=row["name"],
            description=row["description"],
            order=row["order"],
            signals=row.get("signals", []),
        )
        report.add("pledge types")


def _load_leaders(seeds_dir: Path, report: SeedReport) -> None:
    listed = {row["iso2"] for row in _read(seeds_dir, "nations.json")}
    nations = _by_key(Nation)
    rows = {leader_key(row): row for row in _read(seeds_dir, "leaders.json")}
    missing = []
    for key in _unseen(Leader, list(rows)):
        row = rows[key]
        if row["nation"] not in listed:
            raise SeedError(f"leader {row['name']} names unknown nation {row['nation']}")
        if row["nation"] not in nations:
            continue  # an editor deleted the nation
        missing.append(
            Leader(
                seed_key=key,
                name=row["name"],
                nation=nations[row["nation"]],
                office=row.get("office", ""),
                in_office_from=_date(row.get("in_office_from")),
                in_office_to=_date(row.get("in_office_to")),
                aliases=row.get("aliases", []),
            )
        )
    if missing:
        bulk_create_with_history(missing, Leader, batch_size=500)
    report.add("leaders", len(missing))


def _load_seed_article(seeds_dir: Path, report: SeedReport) -> None:
    fixture = _read(seeds_dir, "seed_article.json")
    meta = fixture["source"]
    text = (seeds_dir / meta["text_file"]).read_text(encoding="utf-8")
    if _unseen(Source, [meta["key"]]):
        Source.objects.create(
            seed_key=meta["key"],
            url=meta["url"],
            title=meta["title"],
            outlet=meta["outlet"],
            published_on=_date(meta["published_on"]),
            text=text,
        )
        report.add("sources")
    source = _by_key(Source).get(meta["key"])

    conditions = {slugify(row["name"]): row for row in fixture["conditions"]}
    for key in _unseen(Condition, list(conditions)):
        row = conditions[key]
        Condition.objects.create(seed_key=key, name=row["name"], description=row["description"])
        report.add("conditions")

    leader_keys = {row["name"]: leader_key(row) for row in _read(seeds_dir, "leaders.json")}
    leaders, nations = _by_key(Leader), _by_key(Nation)
    for row in [*fixture["quotes"], *fixture["pledges"]]:
        if row["leader"] and row["leader"] not in leader_keys:
            raise SeedError(f"{row['leader']} is named in seed_article.json, not in leaders.json")

    def leader_deleted(row: dict) -> bool:
        return bool(row["leader"]) and leader_keys[row["leader"]] not in leaders

    def leader_of(row: dict) -> Leader | None:
        return leaders[leader_keys[row["leader"]]] if row["leader"] else None

    quotes = {row["key"]: row for row in fixture["quotes"]}
    for row in quotes.values():
        if row["text"] not in text:
            raise SeedError(f"quote {row['key']} is not verbatim in the seed article")
    for key in _unseen(Quote, list(quotes)) if source else ():
        row = quotes[key]
        if leader_deleted(row) or row["nation"] not in nations:
            continue  # an editor deleted the speaker or their nation
        Quote.objects.create(
            seed_key=key,
            text=row["text"],
            source=source,
            leader=leader_of(row),
            speaker_role=row["speaker_role"],
            nation=nations[row["nation"]],
            said_on=_date(row["said_on"]),
        )
        report.add("quotes")

    quotes_by_key, conditions_by_key = _by_key(Quote), _by_key(Condition)
    types = _by_key(PledgeType)
    pledges = {row["key"]: row for row in fixture["pledges"]}
    for key in _unseen(Pledge, list(pledges)):
        row = pledges[key]
        nation, pledge_type = nations.get(row["nation"]), types.get(row["type"])
        if nation is None or pledge_type is None or leader_deleted(row):
            continue  # an editor deleted what it is about
        statement = {
            "nation": nation,
            "pledge_type": pledge_type,
            "announced_on": _date(row["announced_on"]),
            "stance": row["stance"],
        }
        if Pledge.objects.filter(**statement).exists():
            continue  # an editor recorded the same statement themselves
        pledge = Pledge.objects.create(
            seed_key=key,
            formality=row["formality"],
            leader=leader_of(row),
            summary=row["summary"],
            **statement,
        )
        if source:
            pledge.sources.add(source)
        named = [conditions_by_key.get(slugify(name)) for name in row["conditions"]]
        pledge.conditions.add(*(condition for condition in named if condition))
        pledge.quotes.add(*(quotes_by_key[k] for k in row["quotes"] if k in quotes_by_key))
        report.add("pledges")
