"""What changed since a day: the page, its Atom feed and its JSON, for everything or for the
cells of chosen nations, blocs and types (pledges.filters.ChangesFilterSet), read from the
public changelog (pledges.changelog).

A journalist subscribes to /changes/feed.atom?nation=DE and learns when Germany's troops stance
moves: each entry is one change, with an id that never changes and a link to its cell.
"""

from __future__ import annotations

from django.contrib.syndication.views import Feed
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.feedgenerator import Atom1Feed
from django.views.decorators.http import require_safe

from . import changelog
from .filters import ChangesFilterSet

FEED_ENTRIES = 100
FEED_DAYS = 365  # a feed reader polls; a year back is plenty for a first read


def _filterset(request: HttpRequest) -> ChangesFilterSet:
    return ChangesFilterSet(request.GET)


def _errors(filterset: ChangesFilterSet) -> str:
    return "; ".join(f"{field}: {' '.join(errors)}" for field, errors in filterset.errors.items())


@require_safe
def changes(request: HttpRequest) -> HttpResponse:
    filterset = _filterset(request)
    if not filterset.is_valid():
        context = {"form": filterset.form, "error": _errors(filterset)}
        return render(request, "pledges/changes.html", context, status=400)
    listed = filterset.changes()
    query = request.GET.copy()
    query.pop("since", None)
    return render(
        request,
        "pledges/changes.html",
        {
            "form": filterset.form,
            "changes": listed,
            "since": filterset.since_day,
            "query": query.urlencode(),
            "last_updated": changelog.last_updated(),
        },
    )


def _as_json(change: changelog.Change, request: HttpRequest) -> dict:
    return {
        "id": change.id,
        "kind": change.kind,
        "recorded_at": change.recorded_at.isoformat(),
        "pledge_id": change.pledge_id,
        "nation": change.nation.iso2,
        "type": change.pledge_type.slug,
        "stance": change.stance,
        "announced_on": change.announced_on.isoformat(),
        "summary": change.summary,
        "reason": change.reason,
        "fields": [
            {"field": f.label, "old": _plain(f.old), "new": _plain(f.new)} for f in change.fields
        ],
        "cell_url": request.build_absolute_uri(change.cell_url),
    }


def _plain(value) -> object:
    if hasattr(value, "iso2"):
        return value.iso2
    if hasattr(value, "slug"):
        return value.slug
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


@require_safe
def changes_json(request: HttpRequest) -> HttpResponse:
    filterset = _filterset(request)
    if not filterset.is_valid():
        return JsonResponse({"errors": filterset.errors.get_json_data()}, status=400)
    listed = filterset.changes()
    return JsonResponse(
        {
            "since": filterset.since_day.isoformat(),
            "changes": [_as_json(change, request) for change in listed],
        }
    )


def entry_title(change: changelog.Change) -> str:
    cell = f"{change.nation.name} · {change.pledge_type.name}"
    if change.kind == changelog.Kind.CORRECTION:
        moved = change.stance_change
        if moved:
            return f"{cell}: corrected from {moved.old} to {moved.new}"
        return f"{cell}: corrected"
    if change.kind == changelog.Kind.REMOVAL:
        return f"{cell}: {change.stance} statement of {change.announced_on:%-d %B %Y} removed"
    return f"{cell}: {change.stance} (statement of {change.announced_on:%-d %B %Y})"


class ChangesFeed(Feed):
    feed_type = Atom1Feed
    subtitle = "New statements, corrections and removals, with the editors' reasons."

    def get_object(self, request: HttpRequest, *args, **kwargs) -> ChangesFilterSet:
        filterset = _filterset(request)
        if not filterset.is_valid():
            raise Http404(_errors(filterset))
        return filterset  # one feed instance serves every request: nothing kept on it

    def link(self, filterset: ChangesFilterSet) -> str:
        query = filterset.data.urlencode()
        return f"/changes/?{query}" if query else "/changes/"

    def title(self, filterset: ChangesFilterSet) -> str:
        chosen = [n.name for n in filterset.form.cleaned_data.get("nation") or ()]
        chosen += [b.name for b in filterset.form.cleaned_data.get("bloc") or ()]
        chosen += [t.name for t in filterset.form.cleaned_data.get("type") or ()]
        return "Pledgewatch: changes" + (f" for {', '.join(chosen)}" if chosen else "")

    def items(self, filterset: ChangesFilterSet) -> list[changelog.Change]:
        return filterset.changes(default_days=FEED_DAYS, limit=FEED_ENTRIES)

    def item_title(self, change: changelog.Change) -> str:
        return entry_title(change)

    def item_description(self, change: changelog.Change) -> str:
        parts = [change.summary]
        parts += [f"{f.label}: {_plain(f.old)} → {_plain(f.new)}" for f in change.fields]
        if change.reason:
            parts.append(f"Reason: {change.reason}")
        return "\n".join(part for part in parts if part)

    def item_link(self, change: changelog.Change) -> str:
        return change.cell_url

    def item_guid(self, change: changelog.Change) -> str:
        # A tag URI (RFC 4151) on the change's history row: the same entry, every time.
        return f"tag:pledgewatch,2025:change/{change.id}"

    item_guid_is_permalink = False

    def item_pubdate(self, change: changelog.Change):
        return change.recorded_at

    def item_updateddate(self, change: changelog.Change):
        return change.recorded_at

    def item_categories(self, change: changelog.Change) -> list[str]:
        return [change.kind, change.nation.iso2, change.pledge_type.slug]


changes_feed = require_safe(ChangesFeed())
