"""Load the seed data in `seeds/`: every ISO nation with its aliases, blocs, pledge types,
leaders, and the entries the seed article states.

Loading is idempotent and never overwrites: rows that already exist (matched on their
natural keys) are left exactly as editors left them, so `make run` can load on every start.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import connection, transaction
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


def _load_nations(seeds_dir: Path, report: SeedReport) -> None:
    existing = set(Nation.objects.values_list("iso2", flat=True))
    missing = [
        Nation(
            iso2=row["iso2"],
            iso3=row["iso3"],
            name=row["name"],
            demonyms=row.get("demonyms", []),
            capital=row.get("capital") or "",
            seats=row.get("seats", []),
            aliases=row.get("aliases", []),
        )
        for row in _read(seeds_dir, "nations.json")
        if row["iso2"] not in existing
    ]
    if missing:
        bulk_create_with_history(missing, Nation, batch_size=500)
    report.add("nations", len(missing))


def _load_blocs(seeds_dir: Path, report: SeedReport) -> None:
    nations = dict(Nation.objects.values_list("iso2", "pk"))
    for row in _read(seeds_dir, "blocs.json"):
        bloc, created = Bloc.objects.get_or_create(
            slug=row["slug"], defaults={"name": row["name"], "description": row["description"]}
        )
        if created:
            # Membership is only seeded with the bloc: an editor's later removal sticks.
            unknown = [iso2 for iso2 in row["members"] if iso2 not in nations]
            if unknown:
                raise SeedError(f"bloc {row['slug']} lists unknown nations {unknown}")
            bloc.nations.add(*(nations[iso2] for iso2 in row["members"]))
            report.add("blocs")


def _load_pledge_types(seeds_dir: Path, report: SeedReport) -> None:
    for row in _read(seeds_dir, "pledge_types.json"):
        _, created = PledgeType.objects.get_or_create(
            slug=row["slug"],
            defaults={
                "name": row["name"],
                "description": row["description"],
                "order": row["order"],
                "signals": row.get("signals", []),
            },
        )
        report.add("pledge types", int(created))


def _load_leaders(seeds_dir: Path, report: SeedReport) -> None:
    nations = {n.iso2: n for n in Nation.objects.all()}
    existing = set(Leader.objects.values_list("name", "nation__iso2"))
    missing = []
    for row in _read(seeds_dir, "leaders.json"):
        if (row["name"], row["nation"]) in existing:
            continue
        if row["nation"] not in nations:
            raise SeedError(f"leader {row['name']} names unknown nation {row['nation']}")
        missing.append(
            Leader(
                name=row["name"],
                nation=nations[row["nation"]],
                office=row.get("office", ""),
                in_office_from=_date(row.get("in_office_from")),
                in_office_to=_date(row.get("in_office_to")),
                aliases=row.get("aliases", []),
            )
        )
        existing.add((row["name"], row["nation"]))
    if missing:
        bulk_create_with_history(missing, Leader, batch_size=500)
    report.add("leaders", len(missing))


def _load_seed_article(seeds_dir: Path, report: SeedReport) -> None:
    fixture = _read(seeds_dir, "seed_article.json")
    meta = fixture["source"]
    source, created = Source.objects.get_or_create(
        url=meta["url"],
        defaults={
            "title": meta["title"],
            "outlet": meta["outlet"],
            "published_on": _date(meta["published_on"]),
            "text": (seeds_dir / meta["text_file"]).read_text(encoding="utf-8"),
        },
    )
    report.add("sources", int(created))

    conditions = {}
    for row in fixture["conditions"]:
        conditions[row["name"]], created = Condition.objects.get_or_create(
            name=row["name"], defaults={"description": row["description"]}
        )
        report.add("conditions", int(created))

    quotes = {}
    for row in fixture["quotes"]:
        if row["text"] not in source.text:
            raise SeedError(f"quote {row['key']} is not verbatim in the seed article")
        existing = source.quotes.filter(text=row["text"]).first()
        if existing is None:
            existing = Quote.objects.create(
                text=row["text"],
                source=source,
                leader=_leader(row["leader"]),
                speaker_role=row["speaker_role"],
                nation=Nation.objects.get(iso2=row["nation"]),
                said_on=_date(row["said_on"]),
            )
            report.add("quotes")
        quotes[row["key"]] = existing

    for row in fixture["pledges"]:
        pledge, created = Pledge.objects.get_or_create(
            nation=Nation.objects.get(iso2=row["nation"]),
            pledge_type=PledgeType.objects.get(slug=row["type"]),
            announced_on=_date(row["announced_on"]),
            stance=row["stance"],
            defaults={
                "formality": row["formality"],
                "leader": _leader(row["leader"]),
                "summary": row["summary"],
            },
        )
        if created:
            pledge.sources.add(source)
            pledge.conditions.add(*(conditions[name] for name in row["conditions"]))
            pledge.quotes.add(*(quotes[key] for key in row["quotes"]))
            report.add("pledges")


def _leader(name: str | None) -> Leader | None:
    if not name:
        return None
    try:
        return Leader.objects.get(name=name)
    except Leader.DoesNotExist as exc:
        raise SeedError(f"{name} is named in seed_article.json but not in leaders.json") from exc
