"""Public, read-only pages: the commitment matrix, a cell's evidence, nations, leaders,
sources, and the CSV of whatever the matrix currently shows."""

from __future__ import annotations

import csv
import datetime as dt
import functools
import json

from django.conf import settings
from django.db.models import Min
from django.http import Http404, HttpResponse, HttpResponseRedirect, QueryDict
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_safe
from django.views.decorators.vary import vary_on_headers

from . import changelog, matrix_cache, selectors
from .exports import spreadsheet_row
from .filters import MatrixFilterSet, MatrixPageFilterSet
from .forms import AsOfForm
from .htmx import HtmxHttpRequest, is_partial
from .models import Formality, Leader, Nation, Pledge, PledgeType, Source, Stance


def drop_empty_parameters(view):
    """Redirects "?q=&nation=IT", which a form sent without JavaScript gives, to "?nation=IT":
    the address a reader shares says only what they chose. (app.js does the same for HTMX.)"""

    @functools.wraps(view)
    def wrapper(request: HtmxHttpRequest, *args, **kwargs) -> HttpResponse:
        if any(value == "" for _, values in request.GET.lists() for value in values):
            kept = QueryDict(mutable=True)
            for name, values in request.GET.lists():
                if chosen := [value for value in values if value != ""]:
                    kept.setlist(name, chosen)
            query = kept.urlencode()
            return HttpResponseRedirect(request.path + (f"?{query}" if query else ""))
        return view(request, *args, **kwargs)

    return wrapper


@require_safe
@drop_empty_parameters
@vary_on_headers("HX-Request")
def matrix(request: HtmxHttpRequest) -> HttpResponse:
    """The matrix page, or for HTMX only the matrix, rendered only when pledges.matrix_cache
    holds nothing for this request."""
    partial = is_partial(request)
    return matrix_cache.respond(
        request,
        partial=partial,
        content=lambda: _matrix_content(request, partial=partial),
        frame=lambda body: _matrix_page(request, body),
    )


def _matrix_content(request: HtmxHttpRequest, partial: bool) -> tuple[str, int]:
    filterset = MatrixPageFilterSet(request.GET)
    form = filterset.form
    if filterset.is_valid():
        selection = filterset.selection()
        order, by_bloc = filterset.layout()
        pledge_types = list(PledgeType.objects.all())
        form.fields["type"].widget.choices = [(t.slug, t.name) for t in pledge_types]
        matrix = selectors.commitment_matrix(
            selection, all_pledge_types=pledge_types, order=order, by_bloc=by_bloc
        )
        facets = selectors.matrix_facets(selection)
        context = {
            "form": form,
            "selection": selection,
            "matrix": matrix,
            "facets": facets,
            "facets_json": _facets_json(facets),
            "nations_tracked": Nation.objects.count(),
            "active_filters": len(FILTERS_THAT_NARROW.intersection(request.GET)),
            "stances": Stance,
            "formalities": Formality,
            "query": request.GET.urlencode(),
            # A cell opens as of the chosen date; without one, as of the day it is opened.
            "cell_query": f"?as_of={selection.as_of.isoformat()}" if "as_of" in request.GET else "",
            "stale_before": selectors.stale_before(selection.as_of),
            "stale_after_days": settings.STALE_AFTER_DAYS,
            "last_updated": changelog.last_updated(),
            "changes_since": selection.as_of - dt.timedelta(days=30),
        }
        if not matrix.rows:
            context["empty_because"] = _why_empty(request, selection)
        status = 200
    else:
        context = {"form": form, "matrix": None, "stances": Stance}
        status = 400
    template = "pledges/matrix.html#matrix" if partial else "pledges/matrix.html#body"
    return render_to_string(template, context, request), status


# The parameters that take rows away (as_of and compare change what rows say; sort and group
# only their order).
FILTERS_THAT_NARROW = frozenset(
    {"nation", "bloc", "type", "stance", "formality", "formality_min", "freshness", "q"}
)


def _facets_json(facets: selectors.Facets) -> str:
    # Read by app.js to update the filters' counts after HTMX swaps the matrix alone.
    return json.dumps(facets.counts, separators=(",", ":"), sort_keys=True)


def _why_empty(request: HtmxHttpRequest, selection: selectors.MatrixFilter) -> dict:
    """Why nothing matched: the date precedes every statement, or which filters to remove
    (each with the link that removes it)."""
    first = Pledge.objects.aggregate(first=Min("announced_on"))["first"]
    if first is None or first > selection.as_of:
        return {"first_statement": first}
    labels = {name: field.label for name, field in MatrixPageFilterSet.base_filters.items()}
    removable = []
    for name in sorted(set(request.GET) & FILTERS_THAT_NARROW, key=list(labels).index):
        rest = request.GET.copy()
        del rest[name]
        removable.append({"label": labels[name], "query": rest.urlencode()})
    return {"removable": removable}


def _matrix_page(request: HtmxHttpRequest, body: str) -> str:
    """The site's header and footer around the matrix page's content."""
    # Our own template's output, cached as rendered.
    context = {"body": mark_safe(body)}  # noqa: S308
    return render_to_string("pledges/matrix.html", context, request)


CSV_COLUMNS = [
    "nation_iso2",
    "nation",
    "pledge_type",
    "stance",
    "formality",
    "announced_on",
    "conditions",
    "leader",
    "summary",
    "source_count",
    "source_urls",
]


@require_safe
def matrix_csv(request: HtmxHttpRequest) -> HttpResponse:
    filterset = MatrixFilterSet(request.GET)
    if not filterset.is_valid():
        return HttpResponse(
            "; ".join(f"{field}: {' '.join(errors)}" for field, errors in filterset.errors.items()),
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    selection = filterset.selection()
    pledges = filterset.qs.prefetch_related("conditions", "sources")
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="pledgewatch-{selection.as_of.isoformat()}.csv"'
    )
    writer = csv.writer(response)
    writer.writerow(CSV_COLUMNS)
    for pledge in pledges:
        writer.writerow(
            spreadsheet_row(
                [
                    pledge.nation.iso2,
                    pledge.nation.name,
                    pledge.pledge_type.slug,
                    pledge.stance,
                    pledge.formality,
                    pledge.announced_on.isoformat(),
                    "; ".join(c.name for c in pledge.conditions.all()),
                    pledge.leader.name if pledge.leader else "",
                    pledge.summary,
                    pledge.source_count,
                    " ".join(s.url for s in pledge.sources.all()),
                ]
            )
        )
    return response


def _iso2(code: str) -> str:
    # Anything but two ASCII letters is no nation; checked here because PostgreSQL refuses
    # some strings (NUL) outright, which would be a 500 instead of a 404.
    if len(code) != 2 or not (code.isascii() and code.isalpha()):
        raise Http404("No such nation.")
    return code.upper()


@require_safe
@vary_on_headers("HX-Request")
def cell(request: HtmxHttpRequest, iso2: str, slug: str) -> HttpResponse:
    nation = get_object_or_404(Nation, iso2=_iso2(iso2))
    pledge_type = get_object_or_404(PledgeType, slug=slug)
    form = AsOfForm(request.GET)
    if not form.is_valid():
        return HttpResponse(" ".join(form.errors["as_of"]), status=400)
    as_of = form.as_of_or_today()
    context = {
        "nation": nation,
        "pledge_type": pledge_type,
        "as_of": as_of,
        "history": selectors.cell_history(nation=nation, pledge_type=pledge_type, as_of=as_of),
        "changes": changelog.record_changes(
            nation=nation, pledge_type=pledge_type, kinds=changelog.ALL_KINDS, limit=50
        ),
        "asked_as_of": bool(form.cleaned_data.get("as_of")),
    }
    if context["asked_as_of"]:
        context["recorded"] = changelog.recorded_on(
            nation=nation, pledge_type=pledge_type, day=as_of
        )
    if context["history"]:
        latest = context["history"][0]
        dates = [latest.announced_on, *(s.published_on for s in latest.sources.all())]
        context["newest_evidence"] = max(day for day in dates if day is not None)
        context["stale"] = context["newest_evidence"] < selectors.stale_before(as_of)
        context["rivals"] = selectors.rival_statements(latest)
    template = "pledges/cell.html#panel" if is_partial(request) else "pledges/cell.html"
    return render(request, template, context)


# A nation with years of coverage has thousands of quotes and hundreds of statements; the
# page shows the newest, and each commitment links to its cell's whole history.
NATION_QUOTES_SHOWN = 50
NATION_STATEMENTS_SHOWN = 5
NATION_CHANGES_SHOWN = 20


@require_safe
def nation(request: HtmxHttpRequest, iso2: str) -> HttpResponse:
    nation = get_object_or_404(Nation.objects.prefetch_related("blocs"), iso2=_iso2(iso2))
    form = AsOfForm(request.GET)
    if not form.is_valid():
        return HttpResponse(" ".join(form.errors["as_of"]), status=400)
    as_of = form.as_of_or_today()
    pledges = selectors.nation_pledges(nation=nation, as_of=as_of, per_type=NATION_STATEMENTS_SHOWN)
    by_type: dict[PledgeType, list] = {}
    for pledge in pledges:
        by_type.setdefault(pledge.pledge_type, []).append(pledge)
    quotes = list(selectors.nation_quotes(nation)[: NATION_QUOTES_SHOWN + 1])
    return render(
        request,
        "pledges/nation.html",
        {
            "nation": nation,
            "as_of": as_of,
            "by_type": by_type,
            "leaders": nation.leaders.order_by("-in_office_from", "name"),
            "quotes": quotes[:NATION_QUOTES_SHOWN],
            "more_quotes": len(quotes) > NATION_QUOTES_SHOWN,
            "changes": changelog.record_changes(nation=nation, limit=NATION_CHANGES_SHOWN),
        },
    )


@require_safe
def leader(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    person = get_object_or_404(Leader.objects.select_related("nation"), pk=pk)
    return render(
        request,
        "pledges/leader.html",
        {
            "leader": person,
            "pledges": selectors.leader_pledges(person),
            "quotes": selectors.leader_quotes(person),
        },
    )


@require_safe
def source(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """What the record took from a source, and its link; never the stored text. A source no
    editor has accepted anything from is a 404, except to editors reviewing it."""
    reviewing = request.user.has_perm("ingest.change_candidate")
    document = get_object_or_404(Source if reviewing else selectors.public_sources(), pk=pk)
    return render(
        request,
        "pledges/source.html",
        {
            "source": document,
            "quotes": selectors.source_quotes(document),
            "pledges": selectors.source_pledges(document),
            "unpublished": reviewing and not selectors.public_sources().filter(pk=pk).exists(),
        },
    )


@require_safe
def methodology(request: HtmxHttpRequest) -> HttpResponse:
    """How the record is kept: statements and corrections, reasons, as-of, staleness."""
    return render(
        request,
        "pledges/methodology.html",
        {
            "stale_after_days": settings.STALE_AFTER_DAYS,
            "contested_window_days": settings.CONTESTED_WINDOW_DAYS,
            "same_statement_days": settings.SAME_STATEMENT_DAYS,
        },
    )
