"""Reads: the "latest pledge as of a date" rule and the queries built on it.

Every public page (matrix, cell, nation, CSV) reads through `latest_pledges`, so the rule
that a cell shows a nation's most recent statement on or before the chosen date lives here
and nowhere else.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import (
    BooleanField,
    Case,
    Count,
    DateField,
    Exists,
    ExpressionWrapper,
    F,
    Max,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Value,
    When,
    Window,
    prefetch_related_objects,
)
from django.db.models.functions import Coalesce, Greatest, RowNumber

from .models import Bloc, Formality, Leader, Nation, Pledge, PledgeType, Quote, Source, Stance


@dataclass(frozen=True)
class MatrixFilter:
    """What a reader asked the matrix for. Empty collections mean "all"."""

    as_of: dt.date
    nations: frozenset[str] = frozenset()
    blocs: frozenset[str] = frozenset()
    pledge_types: frozenset[str] = frozenset()
    stances: frozenset[str] = frozenset()
    formalities: frozenset[str] = frozenset()
    formality_min: str = ""  # a Formality: only positions that have gone at least this far
    text: str = ""
    freshness: str = ""  # "fresh", "stale" or "" for both
    compare: dt.date | None = None  # the matrix marks the cells that changed since then


class Freshness:
    FRESH = "fresh"
    STALE = "stale"
    CHOICES = ((FRESH, "fresh evidence"), (STALE, "stale evidence"))


def stale_before(as_of: dt.date) -> dt.date:
    """A cell whose newest evidence is older than this, as of `as_of`, is stale."""
    return as_of - dt.timedelta(days=settings.STALE_AFTER_DAYS)


def latest_pledges(
    *,
    as_of: dt.date,
    nations: Iterable[str] = (),
    blocs: Iterable[str] = (),
    pledge_types: Iterable[str] = (),
    stances: Iterable[str] = (),
    formalities: Iterable[str] = (),
    formality_min: str = "",
    text: str = "",
    freshness: str = "",
) -> QuerySet[Pledge]:
    """Each nation's latest pledge per pledge type announced on or before `as_of`.

    Nation, bloc and type narrow the cells considered; stance, formality, text and freshness
    then filter the latest pledges themselves, so "declined" shows cells whose *current*
    stance is declined, not cells that were declined once.

    Each pledge carries `source_count`, `newest_evidence` (the newest of its date and its
    sources' dates) and `contested` (see `contested_by`).
    """
    candidates = Pledge.objects.filter(announced_on__lte=as_of)
    nations, blocs, pledge_types = set(nations), set(blocs), set(pledge_types)
    if nations:
        candidates = candidates.filter(nation__iso2__in=nations)
    if blocs:
        candidates = candidates.filter(
            Exists(
                Bloc.nations.through.objects.filter(
                    nation_id=OuterRef("nation_id"), bloc__slug__in=blocs
                )
            )
        )
    if pledge_types:
        candidates = candidates.filter(pledge_type__slug__in=pledge_types)
    ranked = candidates.annotate(
        recency=Window(
            RowNumber(),
            partition_by=[F("nation_id"), F("pledge_type_id")],
            order_by=[F("announced_on").desc(), F("id").desc()],
        )
    ).filter(recency=1)

    latest = Pledge.objects.filter(pk__in=ranked.values("pk"))
    stances = set(stances)
    if stances:
        latest = latest.filter(stance__in=stances)
    formalities = set(formalities)
    if formalities:
        latest = latest.filter(formality__in=formalities)
    if formality_min:
        latest = latest.filter(formality__in=formalities_from(formality_min))
    if text:
        latest = latest.filter(text_matches(text))
    latest = latest.annotate(
        source_count=Count("sources", distinct=True),
        newest_evidence=Greatest(
            "announced_on", Coalesce(Max("sources__published_on"), "announced_on")
        ),
        contested=contested_by(),
    )
    if freshness == Freshness.STALE:
        latest = latest.filter(newest_evidence__lt=stale_before(as_of))
    elif freshness == Freshness.FRESH:
        latest = latest.filter(newest_evidence__gte=stale_before(as_of))
    return latest.select_related("nation", "pledge_type", "leader").order_by(
        "nation__name", "pledge_type__order", "pledge_type__slug"
    )


def formalities_from(lowest: str) -> list[str]:
    """`lowest` and every formality further along (Formality lists them in that order)."""
    return Formality.values[Formality.values.index(lowest) :]


def contested_by() -> Case:
    """True when another accepted statement of the same cell, made on the same day or up to
    CONTESTED_WINDOW_DAYS before this one, gives a different stance, unless an editor marked
    this one as settling the disagreement."""
    # "Later than the day before the window" counts the window's first day on both databases
    # (SQLite compares a date with the datetime text the subtraction gives).
    before_window = dt.timedelta(days=settings.CONTESTED_WINDOW_DAYS + 1)
    rivals = Pledge.objects.filter(
        nation_id=OuterRef("nation_id"),
        pledge_type_id=OuterRef("pledge_type_id"),
        announced_on__lte=OuterRef("announced_on"),
        announced_on__gt=ExpressionWrapper(
            OuterRef("announced_on") - before_window, output_field=DateField()
        ),
    ).exclude(stance=OuterRef("stance"))
    return Case(
        When(settles_disagreement=False, then=Exists(rivals)),
        default=Value(False),
        output_field=BooleanField(),
    )


def rival_statements(pledge: Pledge) -> list[Pledge]:
    """The statements that make `pledge`'s cell contested (see `contested_by`), newest first."""
    if pledge.settles_disagreement:
        return []
    window = dt.timedelta(days=settings.CONTESTED_WINDOW_DAYS)
    rivals = list(
        Pledge.objects.filter(
            nation_id=pledge.nation_id,
            pledge_type_id=pledge.pledge_type_id,
            announced_on__range=(pledge.announced_on - window, pledge.announced_on),
        )
        .exclude(stance=pledge.stance)
        .select_related("leader")
        .order_by("-announced_on", "-id")
    )
    # Their evidence is read only for a contested cell, which is rare.
    prefetch_related_objects(rivals, *_evidence_prefetches())
    return rivals


def latest_pledges_for(selection: MatrixFilter) -> QuerySet[Pledge]:
    """`latest_pledges` for what a reader asked (pledges.filters.MatrixFilterSet builds it):
    the matrix page, its CSV and the API's matrix all read through here."""
    return latest_pledges(
        as_of=selection.as_of,
        nations=selection.nations,
        blocs=selection.blocs,
        pledge_types=selection.pledge_types,
        stances=selection.stances,
        formalities=selection.formalities,
        formality_min=selection.formality_min,
        text=selection.text,
        freshness=selection.freshness,
    )


def text_matches(text: str) -> Q:
    """A pledge whose summary, nation, type, leader, a quote or a condition holds `text`."""
    quotes = Quote.objects.filter(pledges=OuterRef("pk"), text__icontains=text)
    conditions = Pledge.conditions.through.objects.filter(
        pledge_id=OuterRef("pk"), condition__name__icontains=text
    )
    return (
        Q(summary__icontains=text)
        | Q(nation__name__icontains=text)
        | Q(pledge_type__name__icontains=text)
        | Q(leader__name__icontains=text)
        | Exists(quotes)
        | Exists(conditions)
    )


@dataclass
class MatrixRow:
    nation: Nation
    cells: list[Pledge | None] = field(default_factory=list)

    @property
    def summary(self) -> str:
        """One line: how many of each stance this nation holds, e.g. "2 committed · 1 open"."""
        return stance_counts(self.cells)

    def count(self, stance: str) -> int:
        return sum(1 for cell in self.cells if cell is not None and cell.stance == stance)

    @property
    def positions(self) -> int:
        return sum(1 for cell in self.cells if cell is not None)


@dataclass
class RowGroup:
    """Rows under one heading: a bloc's members, or the nations in no bloc (bloc None)."""

    bloc: Bloc | None
    rows: list[MatrixRow]

    @property
    def summary(self) -> str:
        return stance_counts(cell for row in self.rows for cell in row.cells)


class Sort:
    """How the matrix orders its rows; by name unless asked (so no parameter by default)."""

    NAME = ""
    COMMITTED = "committed"
    POSITIONS = "positions"
    CHOICES = (
        (NAME, "name, A to Z"),
        (COMMITTED, "most committed first"),
        (POSITIONS, "most positions first"),
    )


def sort_rows(rows: list[MatrixRow], order: str) -> list[MatrixRow]:
    """Rows by name, or by how many commitments (then positions) they hold; ties by name."""
    by_name = sorted(rows, key=lambda row: row.nation.name)
    if order == Sort.COMMITTED:
        return sorted(by_name, key=lambda row: (-row.count(Stance.COMMITTED), -row.positions))
    if order == Sort.POSITIONS:
        return sorted(by_name, key=lambda row: (-row.positions, -row.count(Stance.COMMITTED)))
    return by_name


def group_by_bloc(rows: list[MatrixRow], blocs: Iterable[str] = ()) -> list[RowGroup]:
    """The rows under each bloc they belong to, in bloc order (a nation in two blocs is under
    both), then those in none. With `blocs`, only those blocs' groups."""
    wanted = set(blocs)
    memberships = Bloc.nations.through.objects.filter(
        nation_id__in=[row.nation.pk for row in rows]
    ).values_list("bloc_id", "nation_id")
    members: dict[int, set[int]] = {}
    for bloc_id, nation_id in memberships:
        members.setdefault(bloc_id, set()).add(nation_id)
    groups = []
    grouped: set[int] = set()
    for bloc in Bloc.objects.filter(pk__in=members):
        if wanted and bloc.slug not in wanted:
            continue
        bloc_rows = [row for row in rows if row.nation.pk in members[bloc.pk]]
        grouped.update(members[bloc.pk])
        groups.append(RowGroup(bloc, bloc_rows))
    if not wanted:
        rest = [row for row in rows if row.nation.pk not in grouped]
        if rest:
            groups.append(RowGroup(None, rest))
    return groups


@dataclass
class Matrix:
    pledge_types: list[PledgeType]
    rows: list[MatrixRow]
    groups: list[RowGroup] | None = None

    @property
    def pledge_count(self) -> int:
        return sum(1 for row in self.rows for cell in row.cells if cell is not None)

    @property
    def type_totals(self) -> list[tuple[PledgeType, str]]:
        return list(zip(self.pledge_types, self.column_totals, strict=True))

    @property
    def column_totals(self) -> list[str]:
        """Per pledge type, the stances of the rows shown: "4 committed · 9 open"."""
        return [
            stance_counts(row.cells[column] for row in self.rows)
            for column in range(len(self.pledge_types))
        ]


def stance_counts(cells: Iterable[Pledge | None]) -> str:
    counts = dict.fromkeys(Stance.values, 0)
    for cell in cells:
        if cell is not None:
            counts[cell.stance] += 1
    return " · ".join(f"{n} {stance}" for stance, n in counts.items() if n) or "none"


@dataclass
class Facets:
    """Datasette-style counts for the matrix's filters: for each choice of a filter, how many
    positions the matrix would show with that choice and the other filters as they are.
    `nations_with_positions` counts the nations with any position on the as-of date."""

    counts: dict[str, dict[str, int]]
    nations_with_positions: int

    def of(self, name: str, value: str) -> int:
        return self.counts.get(name, {}).get(str(value), 0)


FACETED = ("nation", "bloc", "type", "stance", "formality")


def matrix_facets(selection: MatrixFilter) -> Facets:
    """The counts of `Facets`, from one query of the latest positions as of the date (narrowed
    by the text and freshness filters, which have no choices to count), a row per position and
    bloc of its nation, counted here rather than in one GROUP BY per filter."""
    rows = latest_pledges(
        as_of=selection.as_of, text=selection.text, freshness=selection.freshness
    ).values_list(
        "pk", "nation_id", "nation__iso2", "pledge_type__slug", "stance", "formality",
        "nation__blocs__slug",
    )  # fmt: skip
    positions: dict[int, dict[str, set[str]]] = {}
    nation_ids = set()
    for pk, nation_id, iso2, type_slug, stance, formality, bloc in rows.order_by():
        values = positions.get(pk)
        if values is None:
            nation_ids.add(nation_id)
            values = positions[pk] = {
                "nation": {iso2},
                "bloc": set(),
                "type": {type_slug},
                "stance": {stance},
                "formality": {formality},
            }
        if bloc is not None:
            values["bloc"].add(bloc)
    chosen = {
        "nation": selection.nations,
        "bloc": selection.blocs,
        "type": selection.pledge_types,
        "stance": selection.stances,
        "formality": selection.formalities,
    }
    far_enough = set(formalities_from(selection.formality_min or Formality.values[0]))
    counts: dict[str, dict[str, int]] = {name: {} for name in FACETED}
    for values in positions.values():
        passes = {name: not chosen[name] or bool(values[name] & chosen[name]) for name in FACETED}
        passes["formality"] = passes["formality"] and bool(values["formality"] & far_enough)
        for name in FACETED:
            # A choice's count keeps every other filter: this one's own choice is what varies.
            if all(ok for other, ok in passes.items() if other != name):
                for value in values[name]:
                    counts[name][value] = counts[name].get(value, 0) + 1
    if selection.text or selection.freshness:
        nations = Pledge.objects.filter(announced_on__lte=selection.as_of)
        nations_with_positions = nations.values("nation_id").distinct().count()
    else:
        nations_with_positions = len(nation_ids)
    return Facets(counts, nations_with_positions)


def commitment_matrix(
    selection: MatrixFilter,
    *,
    all_pledge_types: Iterable[PledgeType] | None = None,
    order: str = Sort.NAME,
    by_bloc: bool = False,
) -> Matrix:
    """The nation x pledge type grid of latest pledges, in two queries (one when the caller
    passes every pledge type in column order), its rows in `order` (a `Sort`), and with
    `by_bloc` also grouped under their blocs (two more)."""
    if all_pledge_types is None:
        all_pledge_types = PledgeType.objects.all()
    pledge_types = [
        pledge_type
        for pledge_type in all_pledge_types
        if not selection.pledge_types or pledge_type.slug in selection.pledge_types
    ]
    column_of = {pledge_type.pk: i for i, pledge_type in enumerate(pledge_types)}
    rows: dict[int, MatrixRow] = {}
    for pledge in latest_pledges_for(selection):
        row = rows.get(pledge.nation_id)
        if row is None:
            row = rows[pledge.nation_id] = MatrixRow(pledge.nation, [None] * len(pledge_types))
        row.cells[column_of[pledge.pledge_type_id]] = pledge
    if selection.compare is not None:
        _mark_changes(rows, selection)
    ordered = sort_rows(list(rows.values()), order)
    groups = group_by_bloc(ordered, selection.blocs) if by_bloc and ordered else None
    return Matrix(pledge_types=pledge_types, rows=ordered, groups=groups)


def _mark_changes(rows: dict[int, MatrixRow], selection: MatrixFilter) -> None:
    """Give each shown cell `was`: its stance as of `selection.compare` ("" when it had none)
    and `changed`: whether that differs from the stance shown."""
    earlier = latest_pledges(
        as_of=selection.compare,
        nations=[row.nation.iso2 for row in rows.values()],
        pledge_types=selection.pledge_types,
    ).values_list("nation_id", "pledge_type_id", "stance")
    then = {(nation_id, type_id): stance for nation_id, type_id, stance in earlier}
    for row in rows.values():
        for cell in row.cells:
            if cell is not None:
                cell.was = then.get((cell.nation_id, cell.pledge_type_id), "")
                cell.changed = cell.was != cell.stance


def _evidence_prefetches() -> list[Prefetch]:
    return [
        Prefetch("conditions"),
        Prefetch(
            "sources", queryset=Source.objects.only("id", "url", "title", "outlet", "published_on")
        ),
        Prefetch(
            "quotes",
            queryset=Quote.objects.select_related("leader", "source").only(
                "id",
                "text",
                "speaker_role",
                "said_on",
                "leader__name",
                "leader__id",
                "source__id",
                "source__url",
                "source__title",
                "source__outlet",
            ),
        ),
    ]


def cell_history(*, nation: Nation, pledge_type: PledgeType, as_of: dt.date) -> list[Pledge]:
    """Every pledge of one matrix cell up to `as_of`, newest first, with its evidence."""
    return list(
        Pledge.objects.filter(nation=nation, pledge_type=pledge_type, announced_on__lte=as_of)
        .select_related("leader")
        .prefetch_related(*_evidence_prefetches())
        .order_by("-announced_on", "-id")
    )


def nation_pledges(*, nation: Nation, as_of: dt.date, per_type: int) -> list[Pledge]:
    """A nation's newest `per_type` pledges of each type up to `as_of`, by type order then
    newest first. Each carries `statements`: how many its type has up to `as_of` in all."""
    by_type = [F("pledge_type_id")]
    newest_first = [F("announced_on").desc(), F("id").desc()]
    return list(
        Pledge.objects.filter(nation=nation, announced_on__lte=as_of)
        .annotate(
            recency=Window(RowNumber(), partition_by=by_type, order_by=newest_first),
            statements=Window(Count("id"), partition_by=by_type),
        )
        .filter(recency__lte=per_type)
        .select_related("pledge_type", "leader")
        .prefetch_related(*_evidence_prefetches())
        .order_by("pledge_type__order", "pledge_type__slug", "-announced_on", "-id")
    )


def nation_quotes(nation: Nation) -> QuerySet[Quote]:
    return (
        Quote.objects.filter(nation=nation, reviewed=True)
        .select_related("leader", "source")
        .order_by("-said_on", "id")
    )


def leader_quotes(leader: Leader) -> QuerySet[Quote]:
    return (
        Quote.objects.filter(leader=leader, reviewed=True)
        .select_related("source")
        .order_by("-said_on")
    )


def leader_pledges(leader: Leader) -> QuerySet[Pledge]:
    return leader.pledges.select_related("nation", "pledge_type").order_by("-announced_on")


def public_quotes() -> QuerySet[Quote]:
    """The quotes the public pages show: reviewed ones (nation, leader and source pages) and
    those an accepted pledge cites (cell and nation pages). An extracted quote is neither
    until an editor accepts a candidate that cites it."""
    cited = Pledge.quotes.through.objects.filter(quote_id=OuterRef("pk"))
    return Quote.objects.filter(Q(reviewed=True) | Exists(cited))


def public_sources() -> QuerySet[Source]:
    """The sources an editor has accepted something from: a pledge cites them, or one of their
    quotes is reviewed. Until then a fetched article is for the editors' review pages only."""
    cited = Pledge.sources.through.objects.filter(source_id=OuterRef("pk"))
    quoted = Quote.objects.filter(source_id=OuterRef("pk"), reviewed=True)
    return Source.objects.filter(Exists(cited) | Exists(quoted))


def source_quotes(source: Source) -> QuerySet[Quote]:
    return source.quotes.filter(reviewed=True).select_related("leader").order_by("id")


def source_pledges(source: Source) -> QuerySet[Pledge]:
    return source.pledges.select_related("nation", "pledge_type").order_by(
        "nation__name", "pledge_type__order"
    )
