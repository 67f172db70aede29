"""Template filters and tags for how old and how settled the record is, and the filters' counts."""

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


@register.simple_tag
def facet_count(facets, name: str, value) -> str:
    """How many positions choosing `value` for the filter `name` shows: "(12)"."""
    return f"({facets.of(name, value)})" if facets else ""
