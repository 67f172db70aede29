"""A large, plausible, reproducible data set for demos and benchmarks: years of pledges with
changing stances, their sources and quotes, on top of (never instead of) the seed data."""

from __future__ import annotations

import datetime as dt
import random
from bisect import bisect_left
from collections import defaultdict
from dataclasses import dataclass, field

from django.db import transaction
from simple_history.utils import bulk_create_with_history

from .models import (
    Condition,
    Formality,
    Leader,
    Nation,
    Pledge,
    PledgeType,
    Quote,
    Source,
    Stance,
    content_hash,
)
from .seeding import seed_load

DEMO_URL_PREFIX = "https://demo.pledgewatch.invalid/"
FIRST_DAY = dt.date(2021, 1, 1)
LAST_DAY = dt.date(2025, 12, 31)
BATCH = 2000

FULL_SCALE = {"pledges": 100_000, "sources": 50_000, "quotes": 200_000, "leaders": 2_000}

DEMO_TYPES = (
    {
        "slug": "intelligence",
        "name": "Intelligence sharing",
        "order": 110,
        "description": "Sharing intelligence, satellite imagery and early warning.",
        "signals": ["intelligence sharing", "satellite imagery", "early warning"],
    },
    {
        "slug": "humanitarian",
        "name": "Humanitarian aid",
        "order": 120,
        "description": "Humanitarian aid, reconstruction and demining on land.",
        "signals": ["humanitarian aid", "reconstruction", "relief"],
    },
)

CONDITIONS = (
    "a ceasefire agreement",
    "a US backstop",
    "a UN Security Council mandate",
    "a parliamentary vote",
    "a peace agreement signed by both sides",
    "EU unanimity",
    "NATO consensus",
    "being consulted on the plan",
    "a clear command structure",
    "a coalition mandate",
    "Russian troop withdrawal",
    "a budget amendment",
)

OUTLETS = (
    "Reuters",
    "Associated Press",
    "Agence France-Presse",
    "Deutsche Welle",
    "The Guardian",
    "Le Monde",
    "Politico Europe",
    "Kyiv Independent",
    "Financial Times",
    "Euronews",
    "Der Spiegel",
    "Corriere della Sera",
)

FIRST_NAMES = (
    "Anna", "Marek", "Sofia", "Jonas", "Elena", "Pavel", "Ingrid", "Luca", "Marta", "Henrik",
    "Clara", "Tomas", "Irena", "Olaf", "Nadia", "Diego", "Petra", "Karim", "Lena", "Viktor",
    "Aiko", "Rafael", "Maja", "Stefan", "Leila", "Hugo", "Zofia", "Emil", "Yara", "Niels",
    "Grace", "Samuel", "Amara", "Jan", "Rosa", "Ivo", "Hana", "Felix", "Noor", "Bruno",
)  # fmt: skip
LAST_NAMES = (
    "Novak", "Berg", "Costa", "Meyer", "Kowal", "Rossi", "Lindqvist", "Dubois", "Horvat",
    "Jensen", "Moreau", "Petrov", "Silva", "Keller", "Nieminen", "Varga", "Okafor", "Tanaka",
    "Haddad", "Olsen", "Marin", "Fischer", "Laine", "Ivanova", "Santos", "Weber", "Kaya",
    "Popescu", "Nakamura", "Mensah", "Larsen", "Bianchi", "Schmidt", "Kovacs", "Eriksen",
    "Hughes", "Dvorak", "Albers", "Pereira", "Rahman", "Nowak", "Janssen", "Vidal", "Kim",
    "Brennan", "Sato", "Lund", "Ferreira", "Ibrahim", "Quinn",
)  # fmt: skip
OFFICES = (
    "President",
    "Prime Minister",
    "Defence Minister",
    "Foreign Minister",
    "Finance Minister",
    "Chancellor",
    "Deputy Prime Minister",
    "Chief of Defence",
)

STANCE_WORDS = {
    Stance.COMMITTED: ("pledged", "committed", "confirmed it will provide", "promised"),
    Stance.OPEN: ("is ready to consider", "said it was willing to offer", "is open to"),
    Stance.CONDITIONAL: ("would provide, on conditions,", "tied to conditions its offer of"),
    Stance.DECLINED: ("ruled out", "declined to offer", "said it would not provide"),
}
# How a cell's stance moves from one statement to the next; reaffirmation is the norm.
TRANSITIONS = {
    Stance.OPEN: ((Stance.OPEN, 6), (Stance.COMMITTED, 2), (Stance.CONDITIONAL, 2)),
    Stance.CONDITIONAL: ((Stance.CONDITIONAL, 6), (Stance.COMMITTED, 3), (Stance.OPEN, 1)),
    Stance.DECLINED: ((Stance.DECLINED, 7), (Stance.OPEN, 2), (Stance.CONDITIONAL, 1)),
    Stance.COMMITTED: ((Stance.COMMITTED, 9), (Stance.DECLINED, 1)),
}
FIRST_STANCE = (
    (Stance.OPEN, 4),
    (Stance.CONDITIONAL, 2),
    (Stance.DECLINED, 2),
    (Stance.COMMITTED, 2),
)
FORMALITY_LADDER = [choice.value for choice in Formality]


@dataclass
class DemoReport:
    created: dict[str, int] = field(default_factory=dict)

    def __str__(self) -> str:
        if not self.created:
            return "Demo data already present; nothing created."
        return "Created " + ", ".join(f"{n} {kind}" for kind, n in self.created.items())


def _pick(rng: random.Random, weighted: tuple[tuple[str, int], ...]) -> str:
    values, weights = zip(*weighted, strict=True)
    return rng.choices(values, weights)[0]


def _scaled(scale: float) -> dict[str, int]:
    return {kind: max(1, round(count * scale)) for kind, count in FULL_SCALE.items()}


@transaction.atomic
def demo_data_generate(*, scale: float = 1.0, seed: int = 2025) -> DemoReport:
    """Add the demo data set; does nothing when it is already there.

    Rows are bulk-inserted without history records: they are generated, not curated.
    """
    report = DemoReport()
    if Source.objects.filter(url__startswith=DEMO_URL_PREFIX).exists():
        return report
    if not Nation.objects.exists():
        seed_load()
    rng = random.Random(seed)
    sizes = _scaled(scale)

    new_types = [
        PledgeType(**spec)
        for spec in DEMO_TYPES
        if not PledgeType.objects.filter(slug=spec["slug"]).exists()
    ]
    bulk_create_with_history(new_types, PledgeType)
    nations = list(Nation.objects.order_by("iso2"))
    types = list(PledgeType.objects.order_by("slug"))
    conditions = _conditions()
    leaders = _leaders(rng, nations, sizes["leaders"])
    pledges = _pledges(rng, nations, types, leaders, sizes["pledges"])
    Pledge.objects.bulk_create(pledges, batch_size=BATCH)
    Pledge.conditions.through.objects.bulk_create(
        (
            Pledge.conditions.through(pledge_id=pledge.pk, condition_id=rng.choice(conditions))
            for pledge in pledges
            if pledge.stance == Stance.CONDITIONAL
        ),
        batch_size=BATCH,
    )
    sources, pledge_sources = _sources(rng, pledges, sizes["sources"])
    quotes = _quotes(rng, pledges, pledge_sources, sizes["quotes"])
    report.created = {
        "pledge types": len(new_types),
        "leaders": sum(len(group) for group in leaders.values()),
        "pledges": len(pledges),
        "sources": len(sources),
        "quotes": len(quotes),
    }
    return report


def _conditions() -> list[int]:
    existing = set(Condition.objects.filter(name__in=CONDITIONS).values_list("name", flat=True))
    bulk_create_with_history(
        [Condition(name=name) for name in CONDITIONS if name not in existing], Condition
    )
    return list(Condition.objects.filter(name__in=CONDITIONS).values_list("pk", flat=True))


def _leaders(rng: random.Random, nations: list[Nation], count: int) -> dict[int, list[Leader]]:
    taken = set(Leader.objects.values_list("name", "nation_id"))
    names = [f"{first} {last}" for first in FIRST_NAMES for last in LAST_NAMES]
    rng.shuffle(names)
    created: list[Leader] = []
    for index in range(count):
        nation = nations[index % len(nations)]
        name = names[index % len(names)]
        if index >= len(names):
            name = f"{name} {index // len(names) + 1}"
        if (name, nation.pk) in taken:
            continue
        start = FIRST_DAY + dt.timedelta(days=rng.randrange(-2000, 1500))
        created.append(
            Leader(
                name=name,
                nation=nation,
                office=rng.choice(OFFICES),
                in_office_from=start,
                in_office_to=None if rng.random() < 0.5 else start + dt.timedelta(days=1500),
                aliases=[name.split()[-1]],
            )
        )
    Leader.objects.bulk_create(created, batch_size=BATCH)
    by_nation: dict[int, list[Leader]] = defaultdict(list)
    for leader in created:
        by_nation[leader.nation_id].append(leader)
    return by_nation


def _pledges(
    rng: random.Random,
    nations: list[Nation],
    types: list[PledgeType],
    leaders: dict[int, list[Leader]],
    count: int,
) -> list[Pledge]:
    """`count` pledges spread over the cells (few nations say a lot, most say a little),
    each cell a chain of statements whose stance mostly holds and sometimes turns."""
    days = (LAST_DAY - FIRST_DAY).days + 1
    taken = set(Pledge.objects.values_list("nation_id", "pledge_type_id", "announced_on"))
    activity = {nation.pk: min(rng.paretovariate(1.3), 40.0) for nation in nations}
    cells = [(nation, pledge_type) for nation in nations for pledge_type in types]
    weights = [activity[nation.pk] * (1.5 if t.order <= 40 else 1.0) for nation, t in cells]
    per_cell = dict.fromkeys(range(len(cells)), 0)
    for index in rng.choices(range(len(cells)), weights, k=count):
        per_cell[index] += 1
    pledges: list[Pledge] = []
    for index, statements in per_cell.items():
        if not statements:
            continue
        nation, pledge_type = cells[index]
        stance = _pick(rng, FIRST_STANCE)
        formality = 0
        speakers = leaders.get(nation.pk, [])
        for offset in sorted(rng.sample(range(days), min(statements, days))):
            announced_on = FIRST_DAY + dt.timedelta(days=offset)
            if (nation.pk, pledge_type.pk, announced_on) in taken:
                continue
            if stance == Stance.COMMITTED and rng.random() < 0.3:
                formality = min(formality + 1, len(FORMALITY_LADDER) - 1)
            elif stance != Stance.COMMITTED:
                formality = 0
            leader = rng.choice(speakers) if speakers and rng.random() < 0.7 else None
            verb = rng.choice(STANCE_WORDS[stance])
            pledges.append(
                Pledge(
                    nation=nation,
                    pledge_type=pledge_type,
                    stance=stance,
                    formality=FORMALITY_LADDER[formality],
                    leader=leader,
                    announced_on=announced_on,
                    summary=f"{nation.name} {verb} {pledge_type.name.lower()} support "
                    f"for Ukraine's security.",
                )
            )
            stance = _pick(rng, TRANSITIONS[stance])
    return pledges


def _sources(
    rng: random.Random, pledges: list[Pledge], count: int
) -> tuple[list[Source], dict[int, list[int]]]:
    """Articles of the day: each reports several of that day's pledges."""
    by_day: dict[dt.date, list[Pledge]] = defaultdict(list)
    for pledge in pledges:
        by_day[pledge.announced_on].append(pledge)
    days = sorted(by_day)
    # One article per day with news first (busiest days first), the rest by how busy a day is.
    busiest = sorted(days, key=lambda day: (-len(by_day[day]), day))
    per_day = dict.fromkeys(busiest[:count], 1)
    for day in rng.choices(days, [len(by_day[d]) for d in days], k=max(0, count - len(days))):
        per_day[day] += 1
    sources: list[Source] = []
    for day in days:
        reported = by_day[day]
        for _ in range(per_day.get(day, 0)):
            outlet = rng.choice(OUTLETS)
            subjects = rng.sample(reported, min(len(reported), 3))
            title = (
                f"{' and '.join(p.nation.name for p in subjects[:2])} set out positions "
                f"on security guarantees"
            )
            text = " ".join(p.summary for p in subjects) + (
                f" The statements came on {day:%d %B %Y}, ahead of further talks among "
                f"the coalition's defence ministers."
            )
            slug = f"{outlet.lower().replace(' ', '-')}/{day:%Y/%m/%d}/{len(sources) + 1}"
            sources.append(
                Source(
                    url=DEMO_URL_PREFIX + slug,
                    outlet=outlet,
                    title=title[:500],
                    published_on=day,
                    text=text,
                    content_hash=content_hash(text),
                    fingerprint=[],
                )
            )
    Source.objects.bulk_create(sources, batch_size=BATCH)
    day_sources: dict[dt.date, list[int]] = defaultdict(list)
    for source in sources:
        day_sources[source.published_on].append(source.pk)
    pledge_sources: dict[int, list[int]] = {}
    links = []
    source_days = sorted(day_sources)
    for pledge in pledges:
        # On a quiet day without an article of its own, the next article reports it.
        day = source_days[min(bisect_left(source_days, pledge.announced_on), len(source_days) - 1)]
        available = day_sources[day]
        chosen = rng.sample(available, min(len(available), rng.choice((1, 1, 2, 3))))
        pledge_sources[pledge.pk] = chosen
        links.extend(
            Pledge.sources.through(pledge_id=pledge.pk, source_id=source_id) for source_id in chosen
        )
    Pledge.sources.through.objects.bulk_create(links, batch_size=BATCH)
    return sources, pledge_sources


def _quotes(
    rng: random.Random, pledges: list[Pledge], pledge_sources: dict[int, list[int]], count: int
) -> list[Quote]:
    quotes: list[Quote] = []
    owners: list[int] = []
    for number in range(count):
        pledge = pledges[number % len(pledges)]
        verb = rng.choice(STANCE_WORDS[pledge.stance])
        text = (
            f"We have {verb} {pledge.pledge_type.name.lower()} support, and we will say so "
            f"again at the next meeting (statement {number})."
        )
        quotes.append(
            Quote(
                text=text,
                text_hash=Quote.hash_text(text),
                leader=pledge.leader,
                speaker_role="" if pledge.leader else f"a {pledge.nation.name} government official",
                nation=pledge.nation,
                source_id=rng.choice(pledge_sources[pledge.pk]),
                said_on=pledge.announced_on,
                reviewed=True,
            )
        )
        owners.append(pledge.pk)
    Quote.objects.bulk_create(quotes, batch_size=BATCH)
    Pledge.quotes.through.objects.bulk_create(
        (
            Pledge.quotes.through(pledge_id=owner, quote_id=quote.pk)
            for owner, quote in zip(owners, quotes, strict=True)
        ),
        batch_size=BATCH,
    )
    return quotes
