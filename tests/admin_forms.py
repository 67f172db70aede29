"""What the admin's pledge form posts, for tests that edit the record as an editor does."""

from __future__ import annotations

from pledges.models import Pledge


def pledge_form(pledge: Pledge, **changes) -> dict:
    """The change (or, for an unsaved pledge, add) form of `pledge`, with `changes` typed in."""
    saved = pledge.pk is not None
    return {
        "nation": pledge.nation_id,
        "pledge_type": pledge.pledge_type_id,
        "stance": pledge.stance,
        "formality": pledge.formality,
        "leader": pledge.leader_id or "",
        "announced_on": pledge.announced_on.isoformat(),
        "summary": pledge.summary,
        "sources": [s.pk for s in pledge.sources.all()] if saved else [],
        "conditions": [c.pk for c in pledge.conditions.all()] if saved else [],
        "Pledge_quotes-TOTAL_FORMS": "0",
        "Pledge_quotes-INITIAL_FORMS": "0",
        "version": pledge.updated_at.isoformat() if saved else "",
        **changes,
    }
