"""Editors' review: accept (with corrections) or reject a candidate, once, whoever comes
second being told who decided.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

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


def candidate_accept(candidate_id: int, *, editor, correction: Correction | None = None) -> Pledge:
    """Turn a pending candidate into a Pledge with its source and quote as evidence."""
    correction = correction or Correction()
    with transaction.atomic():
        candidate = _claim(candidate_id)
        source = candidate.source
        stance = correction.stance or candidate.stance
        pledge, _ = Pledge.objects.get_or_create(
            nation=correction.nation or candidate.nation,
            pledge_type=correction.pledge_type or candidate.pledge_type,
            announced_on=correction.announced_on or source.published_on or timezone.localdate(),
            stance=stance,
            defaults={
                "formality": correction.formality or Formality.STATEMENT,
                "leader": candidate.leader,
                "summary": candidate.evidence,
            },
        )
        pledge.sources.add(source, *source.corroborations.all())
        if candidate.quote_id:
            Quote.objects.filter(pk=candidate.quote_id).update(reviewed=True)
            pledge.quotes.add(candidate.quote_id)
        names = (
            correction.conditions
            if correction.conditions is not None
            else (candidate.conditions if stance == Stance.CONDITIONAL else ())
        )
        for name in names:
            condition, _ = Condition.objects.get_or_create(name=name.strip()[:160])
            pledge.conditions.add(condition)
        _decide(candidate, Candidate.Status.ACCEPTED, editor, pledge=pledge)
    return pledge


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
