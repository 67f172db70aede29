"""The public changelog: what the record said and when it changed, read from the pledges'
history (django-simple-history), which every save and deletion writes, with who did it and
the editor's public reason.

One save writes several history rows (the pledge, then each of its evidence lists); rows of
one pledge in a row with the same reason, a few seconds apart, are one change. A change is:

- a *statement*: a pledge was recorded (a nation said something, on its date);
- a *correction*: a recorded pledge was edited because the record was wrong (its reason says
  why), with each public field's old and new value;
- a *removal*: a pledge was deleted from the record (struck through, with its reason);
- *evidence*: a source was added to what is already recorded; the record did not change.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Exists, Max, OuterRef
from django.utils import timezone

from .models import Bloc, Nation, Pledge, PledgeType

HistoricalPledge = Pledge.history.model

# Fields readers see, in the order a correction lists them, with their labels.
PUBLIC_FIELDS = {
    "nation_id": "nation",
    "pledge_type_id": "commitment",
    "stance": "stance",
    "formality": "formality",
    "announced_on": "date",
    "leader_id": "stated by",
    "summary": "summary",
}
ONE_SAVE = dt.timedelta(seconds=5)


class Kind:
    STATEMENT = "statement"
    CORRECTION = "correction"
    REMOVAL = "removal"
    EVIDENCE = "evidence"


# What /changes/ and its feeds list: changes to what the record says.
RECORD_KINDS = frozenset({Kind.STATEMENT, Kind.CORRECTION, Kind.REMOVAL})
ALL_KINDS = RECORD_KINDS | {Kind.EVIDENCE}


@dataclass
class FieldChange:
    label: str
    old: object
    new: object


@dataclass
class Change:
    id: int  # the history row that ends the change: stable, for feeds
    kind: str
    recorded_at: dt.datetime
    pledge_id: int
    nation: Nation
    pledge_type: PledgeType
    stance: str
    announced_on: dt.date
    summary: str
    reason: str
    fields: list[FieldChange] = field(default_factory=list)

    @property
    def stance_change(self) -> FieldChange | None:
        return next((f for f in self.fields if f.label == "stance"), None)

    @property
    def cell_url(self) -> str:
        return f"/cells/{self.nation.iso2}/{self.pledge_type.slug}/"


def record_changes(
    *,
    since: dt.datetime | None = None,
    nations: Iterable[str] = (),
    blocs: Iterable[str] = (),
    pledge_types: Iterable[str] = (),
    nation: Nation | None = None,
    pledge_type: PledgeType | None = None,
    kinds: Iterable[str] = RECORD_KINDS,
    limit: int = 200,
) -> list[Change]:
    """The newest `limit` changes of the given kinds, newest first, in three queries."""
    rows = HistoricalPledge.objects.all()
    if since is not None:
        rows = rows.filter(history_date__gte=since)
    if nation is not None:
        rows = rows.filter(nation_id=nation.pk)
    if pledge_type is not None:
        rows = rows.filter(pledge_type_id=pledge_type.pk)
    if nations := set(nations):
        rows = rows.filter(nation__iso2__in=nations)
    if pledge_types := set(pledge_types):
        rows = rows.filter(pledge_type__slug__in=pledge_types)
    if blocs := set(blocs):
        members = Bloc.nations.through.objects.filter(
            nation_id=OuterRef("nation_id"), bloc__slug__in=blocs
        )
        rows = rows.filter(Exists(members))
    # Each change needs the rows before it, so whole pledges' histories are read: a few rows
    # each, for the pledges that changed in the window.
    pledge_ids = list(
        rows.order_by("-history_date", "-history_id").values_list("id", flat=True)[: limit * 8]
    )
    history = list(
        HistoricalPledge.objects.filter(id__in=set(pledge_ids)).order_by(
            "id", "history_date", "history_id"
        )
    )
    kinds = set(kinds)
    changes = [
        change
        for change in _changes(history)
        if change.kind in kinds and (since is None or change.recorded_at >= since)
    ]
    changes.sort(key=lambda change: (change.recorded_at, change.id), reverse=True)
    changes = changes[:limit]
    _attach_names(changes, known=[row for row in (nation, pledge_type) if row is not None])
    return changes


def _changes(history: list) -> Iterable[Change]:
    """Walk each pledge's rows oldest first, grouping the rows of one save."""
    group: list = []
    before = None  # the row before the group, of the same pledge
    for row in [*history, None]:
        if group and (row is None or not _same_save(group[-1], row)):
            change = _change(before, group)
            if change is not None:
                yield change
            before = group[-1] if row is not None and row.id == group[-1].id else None
            group = []
        if row is not None:
            group.append(row)


def _same_save(last, row) -> bool:
    return (
        row.id == last.id
        and row.history_type == "~"
        and last.history_type != "-"
        and (row.history_change_reason or "") == (last.history_change_reason or "")
        and row.history_user_id == last.history_user_id
        and row.history_date - last.history_date <= ONE_SAVE
    )


def _change(before, group: list) -> Change | None:
    first, last = group[0], group[-1]
    reason = last.history_change_reason or ""
    fields = []
    if first.history_type == "+":
        kind = Kind.STATEMENT
    elif last.history_type == "-":
        kind = Kind.REMOVAL
    else:
        if before is not None:
            fields = [
                FieldChange(label, getattr(before, name), getattr(last, name))
                for name, label in PUBLIC_FIELDS.items()
                if getattr(before, name) != getattr(last, name)
            ]
        if fields:
            kind = Kind.CORRECTION
        elif reason.startswith("Evidence added"):
            kind = Kind.EVIDENCE
        elif reason:
            kind = Kind.CORRECTION  # conditions or evidence changed, with a reason
        else:
            return None
    return Change(
        id=last.history_id,
        kind=kind,
        recorded_at=last.history_date,
        pledge_id=last.id,
        nation=last.nation_id,
        pledge_type=last.pledge_type_id,
        stance=last.stance,
        announced_on=last.announced_on,
        summary=last.summary,
        reason=reason,
        fields=fields,
    )


def _attach_names(changes: list[Change], known: list) -> None:
    """Nations and types by id, in one query each (none for those the caller knows), for
    what the changes show."""
    nation_ids = {c.nation for c in changes} | {
        v for c in changes for f in c.fields if f.label == "nation" for v in (f.old, f.new)
    }
    type_ids = {c.pledge_type for c in changes} | {
        v for c in changes for f in c.fields if f.label == "commitment" for v in (f.old, f.new)
    }
    nations = {row.pk: row for row in known if isinstance(row, Nation)}
    types = {row.pk: row for row in known if isinstance(row, PledgeType)}
    if nation_ids - set(nations):
        nations.update(Nation.objects.only("iso2", "name").in_bulk(nation_ids - set(nations)))
    if type_ids - set(types):
        types.update(PledgeType.objects.only("slug", "name").in_bulk(type_ids - set(types)))
    names = {"nation": nations, "commitment": types}
    for change in changes:
        change.nation, change.pledge_type = nations[change.nation], types[change.pledge_type]
        for item in change.fields:
            if item.label in names:
                item.old = names[item.label].get(item.old, item.old)
                item.new = names[item.label].get(item.new, item.new)


def last_updated() -> dt.datetime | None:
    """When the record last changed: its newest history row."""
    return HistoricalPledge.objects.aggregate(latest=Max("history_date"))["latest"]


def recorded_on(*, nation: Nation, pledge_type: PledgeType, day: dt.date) -> Pledge | None:
    """The statement this cell showed at the end of `day`, as the record stood then (not as
    it stands today): the newest pledge announced by then among the rows that existed."""
    end = timezone.make_aware(dt.datetime.combine(day, dt.time.max))
    rows = HistoricalPledge.objects.filter(
        nation_id=nation.pk, pledge_type_id=pledge_type.pk, history_date__lte=end
    ).order_by("id", "-history_date", "-history_id")
    latest_of_each: dict[int, object] = {}
    for row in rows:
        latest_of_each.setdefault(row.id, row)
    standing = [
        row
        for row in latest_of_each.values()
        if row.history_type != "-" and row.announced_on <= day
    ]
    if not standing:
        return None
    row = max(standing, key=lambda r: (r.announced_on, r.id))
    return row.instance
