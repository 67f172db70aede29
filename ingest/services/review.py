"""Editors' review: accept (with corrections) or reject a candidate, once, whoever comes
second being told who decided.

One statement is one pledge: a candidate that an existing pledge already records (same
nation, type and stance, from the same source or its wire copies, or made within the
setting SAME_STATEMENT_DAYS of it, as another outlet's report of the same statement) is accepted as
evidence for that pledge, not as a second row.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from ingest.extractor.dates import statement_date
from ingest.models import Candidate
from pledges.models import Condition, Formality, Nation, Pledge, PledgeType, Quote, Stance


class AlreadyDecided(Exception):
    """Another editor decided this candidate first."""


@dataclass(frozen=True)
class Correction:
    """What an editor changed before accepting; None keeps the extractor's value."""

    nation: Nation | None = None
    pledge_type: PledgeType | None = None
    stance: str | None = None
    formality: str | None = None
    conditions: tuple[str, ...] | None = None
    announced_on: dt.date | None = None
    summary: str | None = None


def candidate_date(candidate: Candidate) -> dt.date:
    """The day of the statement where its sentence says, else the source's, else today."""
    published = candidate.source.published_on
    if published is None:
        return timezone.localdate()
    return statement_date(candidate.evidence, published) or published


_BULLET = re.compile(r"^\s*(?:[-*•·–—]|\d+[.)])\s+", re.MULTILINE)


def summary_sentence(evidence: str) -> str:
    """The evidence as one sentence: list markers and line breaks gone, ending in a stop."""
    text = " ".join(_BULLET.sub("", evidence).split())
    if text and text[-1] not in ".!?…»”\"'":
        text += "."
    return text[:1].upper() + text[1:]


def recorded_pledges(candidates: Iterable[Candidate]) -> dict[int, Pledge]:
    """For each candidate that an existing pledge already records, that pledge (by candidate
    id), in one query whatever the number of candidates."""
    candidates = list(candidates)
    if not candidates:
        return {}
    cells = Q()
    for candidate in candidates:
        cells |= Q(
            nation_id=candidate.nation_id,
            pledge_type_id=candidate.pledge_type_id,
            stance=candidate.stance,
        )
    pledges = Pledge.objects.filter(cells).select_related("nation", "pledge_type")
    pledges = pledges.prefetch_related("sources").order_by("-announced_on", "-id")
    found = {}
    for candidate in candidates:
        match = _same_statement(
            candidate,
            pledges,
            cell=(candidate.nation_id, candidate.pledge_type_id, candidate.stance),
            day=candidate_date(candidate),
        )
        if match is not None:
            found[candidate.pk] = match
    return found


def _same_statement(
    candidate: Candidate,
    pledges: Iterable[Pledge],
    *,
    cell: tuple[int, int, str],
    day: dt.date,
) -> Pledge | None:
    """The first of `pledges` (with their sources) that records the candidate's statement,
    made on `day`, on `cell` (nation id, pledge type id, stance)."""
    source = candidate.source
    related = {source.pk, source.duplicate_of_id} - {None}
    window = dt.timedelta(days=settings.SAME_STATEMENT_DAYS)
    for pledge in pledges:
        if (pledge.nation_id, pledge.pledge_type_id, pledge.stance) != cell:
            continue
        shares_source = any(
            s.pk in related or s.duplicate_of_id in related for s in pledge.sources.all()
        )
        if shares_source or abs(pledge.announced_on - day) <= window:
            return pledge
    return None


def candidate_accept(candidate_id: int, *, editor, correction: Correction | None = None) -> Pledge:
    """Turn a pending candidate into a Pledge with its source and quote as evidence, or add
    them as evidence to the pledge that already records the same statement (then the
    returned pledge's `added_as_evidence` is true)."""
    correction = correction or Correction()
    with transaction.atomic():
        candidate = _claim(candidate_id)
        source = candidate.source
        stance = correction.stance or candidate.stance
        nation = correction.nation or candidate.nation
        pledge_type = correction.pledge_type or candidate.pledge_type
        same_cell = Pledge.objects.filter(nation=nation, pledge_type=pledge_type, stance=stance)
        day = correction.announced_on or candidate_date(candidate)
        pledge = _same_statement(
            candidate,
            same_cell.prefetch_related("sources"),
            cell=(nation.pk, pledge_type.pk, stance),
            day=day,
        )
        if pledge is None:
            pledge = Pledge(
                nation=nation,
                pledge_type=pledge_type,
                announced_on=day,
                stance=stance,
                formality=correction.formality or Formality.STATEMENT,
                leader=candidate.leader,
                summary=correction.summary or summary_sentence(candidate.evidence),
            )
            pledge._change_reason = f"Accepted from {_source_name(source)}."
            pledge.added_as_evidence = False
            pledge.save()
            names = (
                correction.conditions
                if correction.conditions is not None
                else (candidate.conditions if stance == Stance.CONDITIONAL else ())
            )
            for name in names:
                condition, _ = Condition.objects.get_or_create(name=name.strip()[:160])
                pledge.conditions.add(condition)
        else:
            # New evidence for what is already recorded: the record itself does not change.
            pledge._change_reason = f"Evidence added from {_source_name(source)}."
            pledge.added_as_evidence = True
        pledge.sources.add(source, *source.corroborations.all())
        if candidate.quote_id:
            Quote.objects.filter(pk=candidate.quote_id).update(reviewed=True)
            pledge.quotes.add(candidate.quote_id)
        _decide(candidate, Candidate.Status.ACCEPTED, editor, pledge=pledge)
    return pledge


def _source_name(source) -> str:
    return source.outlet or source.title or source.url


def candidate_reject(candidate_id: int, *, editor) -> None:
    with transaction.atomic():
        candidate = _claim(candidate_id)
        _decide(candidate, Candidate.Status.REJECTED, editor)


def _decide(candidate: Candidate, status: str, editor, *, pledge: Pledge | None = None) -> None:
    candidate.status = status
    candidate.decided_by = editor
    candidate.decided_at = timezone.now()
    candidate.pledge = pledge
    # Saved (not updated) so the decision is in the candidate's history, under the editor.
    candidate._history_user = editor
    candidate.save(update_fields=["status", "decided_by", "decided_at", "pledge"])


def _claim(candidate_id: int) -> Candidate:
    # The row lock makes a second editor wait for the first, then see the decision.
    # decided_by is not joined: after waiting, PostgreSQL re-reads the locked row but not
    # the joined ones, so the name of the editor who just decided would come back empty.
    candidate = (
        Candidate.objects.select_for_update(of=("self",))
        .select_related("source", "nation", "pledge_type")
        .get(pk=candidate_id)
    )
    if candidate.status != Candidate.Status.PENDING:
        who = candidate.decided_by.get_username() if candidate.decided_by else "another editor"
        raise AlreadyDecided(f"This candidate was already {candidate.status} by {who}.")
    return candidate
