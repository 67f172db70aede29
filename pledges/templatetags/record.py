"""Template filters for how old and how settled the record is."""

from __future__ import annotations

import datetime as dt

from django import template

register = template.Library()


@register.filter
def age_on(day: dt.date | None, as_of: dt.date) -> str:
    """How old `day` is on `as_of`, compactly: "today", "12 days", "3 months", "2 years"."""
    if day is None:
        return ""
    days = (as_of - day).days
    if days <= 0:
        return "today"
    if days < 60:
        return f"{days} day{'s' if days != 1 else ''}"
    if days < 730:
        return f"{days // 30} months"
    return f"{days // 365} years"
