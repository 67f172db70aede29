"""HTMX requests as the views see them (django-htmx's middleware sets `request.htmx`)."""

from __future__ import annotations

from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails


class HtmxHttpRequest(HttpRequest):
    """A request that went through django-htmx's middleware, typed as its docs recommend."""

    htmx: HtmxDetails


def is_partial(request: HtmxHttpRequest) -> bool:
    """Whether to answer with only the fragment HTMX swaps in."""
    # A boosted link and a history restore (back button after a cache miss) need the whole page.
    htmx = request.htmx
    return bool(htmx) and not htmx.boosted and not htmx.history_restore_request
