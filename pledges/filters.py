"""The readers' filters, defined once: nation, bloc, commitment type, stance, formality, as of,
free text and changed since, as django-filter filters.

`MatrixFilterSet` is what the matrix page, its CSV and the API's matrix read: the filters
become one `MatrixFilter` and the rows come from `selectors.latest_pledges_for`. The other
FilterSets narrow the API's lists with the same parameters, the same fields and so the same
validation (pledges.forms.MatrixFilterForm) and error messages; each says what a filter means
for its rows and drops the filters that mean nothing there.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any, ClassVar

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from drf_spectacular.utils import extend_schema_field

from . import changelog, selectors
from .forms import MAX_TEXT, MatrixFilterForm, MatrixPageForm
from .models import (
    Bloc,
    Condition,
    Formality,
    Leader,
    Nation,
    Pledge,
    PledgeType,
    Quote,
    Source,
    Stance,
)
from .selectors import MatrixFilter

Lookup = Callable[[Any], Q]


def _as_codes(model_filter: django_filters.Filter) -> django_filters.Filter:
    schema = {"type": "string", "description": model_filter.extra["help_text"]}
    return extend_schema_field(schema)(model_filter)


def _day_filter(label: str, help_text: str) -> django_filters.DateFilter:
    return django_filters.DateFilter(
        label=label,
        method="narrow",
        help_text=help_text,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": "Enter the date as YYYY-MM-DD."},
    )


class ReaderFilterSet(django_filters.FilterSet):
    """Every filter a reader may use. Subclasses map each filter they keep to a `Q` of its
    value in `lookups`, and set the others to None."""

    # The API's schema documents these as codes and slugs (_as_codes), not as the rows' ids.
    nation = _as_codes(
        django_filters.ModelMultipleChoiceFilter(
            queryset=Nation.objects.all(),
            to_field_name="iso2",
            label="Nations",
            method="narrow",
            help_text="ISO 3166-1 alpha-2 code, e.g. IT; repeat the parameter for several.",
            error_messages={"invalid_choice": "Unknown nation code: %(value)s."},
        )
    )
    bloc = _as_codes(
        django_filters.ModelMultipleChoiceFilter(
            queryset=Bloc.objects.all(),
            to_field_name="slug",
            label="Blocs",
            method="narrow",
            help_text="Bloc slug, e.g. eu: nations in any of the blocs.",
            error_messages={"invalid_choice": "Unknown bloc: %(value)s."},
        )
    )
    type = _as_codes(
        django_filters.ModelMultipleChoiceFilter(
            queryset=PledgeType.objects.all(),
            to_field_name="slug",
            label="Commitments",
            method="narrow",
            help_text="Pledge type slug, e.g. troops.",
            error_messages={"invalid_choice": "Unknown commitment type: %(value)s."},
        )
    )
    stance = django_filters.MultipleChoiceFilter(
        choices=Stance.choices,
        label="Stances",
        method="narrow",
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Unknown stance: %(value)s."},
    )
    formality = django_filters.MultipleChoiceFilter(
        choices=Formality.choices,
        label="Formality",
        method="narrow",
        error_messages={"invalid_choice": "Unknown formality: %(value)s."},
    )
    as_of = _day_filter("As of", "YYYY-MM-DD; the matrix defaults to today.")
    q = django_filters.CharFilter(
        label="Search",
        method="narrow",
        max_length=MAX_TEXT,
        help_text="Free text, case-insensitive.",
        widget=forms.TextInput(attrs={"type": "search", "placeholder": "e.g. Meloni, ceasefire"}),
    )
    changed_since = django_filters.IsoDateTimeFilter(
        label="Changed since",
        method="narrow",
        help_text="ISO 8601 date or date and time: only rows changed since then.",
        error_messages={"invalid": "Enter an ISO 8601 date or date and time."},
    )

    lookups: ClassVar[dict[str, Lookup]] = {}

    class Meta:
        form = MatrixFilterForm
        fields: ClassVar[list[str]] = []

    def narrow(self, queryset: QuerySet, name: str, value) -> QuerySet:
        # Model choices come as a list of rows, other multiple choices as a list of values.
        if value is None or (isinstance(value, (str, list, tuple, QuerySet)) and not value):
            return queryset
        return queryset.filter(self.lookups[name](value))


def _in_blocs(nation_ref: str) -> Lookup:
    return lambda blocs: Exists(
        Bloc.nations.through.objects.filter(nation_id=OuterRef(nation_ref), bloc__in=blocs)
    )


def _cited_by(relation: str, pledges: Callable[[Any], Q]) -> Lookup:
    """Rows (conditions, sources, quotes) that a pledge matching `pledges(value)` cites, through
    the pledge's many-to-many field `relation`, as one EXISTS (no duplicate rows)."""
    through = getattr(Pledge, relation).through
    column = f"{getattr(Pledge, relation).field.m2m_reverse_field_name()}_id"
    return lambda value: Exists(
        through.objects.filter(
            **{column: OuterRef("pk")}, pledge__in=Pledge.objects.filter(pledges(value))
        )
    )


class MatrixFilterSet(ReaderFilterSet):
    """The matrix: each nation's latest pledge per type as of a date."""

    changed_since = None
    freshness = django_filters.ChoiceFilter(
        choices=selectors.Freshness.CHOICES,
        label="Evidence",
        method="narrow",
        empty_label="fresh or stale",
        help_text="fresh or stale: cells whose newest evidence is at most, or more than, "
        "STALE_AFTER_DAYS old on the as-of date.",
        error_messages={"invalid_choice": "Choose fresh or stale."},
    )
    formality_min = django_filters.ChoiceFilter(
        choices=Formality.choices,
        label="Gone at least as far as",
        method="narrow",
        empty_label="any formality",
        help_text="A formality: only positions that have gone at least this far (statement, "
        "declaration, agreement, approved, delivered).",
        error_messages={"invalid_choice": "Unknown formality: %(value)s."},
    )

    class Meta(ReaderFilterSet.Meta):
        model = Pledge

    def selection(self) -> MatrixFilter:
        """What the reader asked for; call after `is_valid()`."""
        return self.form.to_filter()

    def filter_queryset(self, queryset: QuerySet) -> QuerySet[Pledge]:
        return selectors.latest_pledges_for(self.selection())


def _layout_choice(label: str, choices, empty_label: str | None) -> django_filters.ChoiceFilter:
    # Only read by the page (MatrixPageFilterSet.filter_queryset ignores it), validated alike.
    return django_filters.ChoiceFilter(
        choices=choices,
        label=label,
        method="narrow",
        empty_label=empty_label,
        error_messages={"invalid_choice": "Choose one of the listed orders."},
    )


class MatrixPageFilterSet(MatrixFilterSet):
    """The matrix page: the matrix, with the cells that changed since another date marked,
    its rows sorted and grouped as the reader asks, and its long lists as checkboxes."""

    compare = _day_filter("Compare with", "YYYY-MM-DD: mark the cells whose stance differs then.")
    sort = _layout_choice("Sort nations by", selectors.Sort.CHOICES, None)
    group = _layout_choice("Group", (("bloc", "by bloc"),), "no grouping")

    class Meta(MatrixFilterSet.Meta):
        form = MatrixPageForm

    def layout(self) -> tuple[str, bool]:
        """The rows' order and whether to group them by bloc; call after `is_valid()`."""
        data = self.form.cleaned_data
        return data.get("sort") or selectors.Sort.NAME, data.get("group") == "bloc"


class ChangesFilterSet(ReaderFilterSet):
    """/changes/ and its feeds: the changes to the record since a day, for the cells of the
    chosen nations, blocs and types."""

    stance = formality = as_of = q = changed_since = None
    since = _day_filter("Since", "YYYY-MM-DD; the last 30 days when not given.")

    class Meta(ReaderFilterSet.Meta):
        model = Pledge

    def changes(self, *, default_days: int = 30, limit: int = 200) -> list[changelog.Change]:
        """The changes asked for; call after `is_valid()`."""
        data = self.form.cleaned_data
        self.since_day = data.get("since") or timezone.localdate() - dt.timedelta(days=default_days)
        since = timezone.make_aware(dt.datetime.combine(self.since_day, dt.time.min))
        return changelog.record_changes(
            since=since,
            nations=[n.iso2 for n in data.get("nation") or ()],
            blocs=[b.slug for b in data.get("bloc") or ()],
            pledge_types=[t.slug for t in data.get("type") or ()],
            limit=limit,
        )


class PledgeFilterSet(ReaderFilterSet):
    """Every statement (not only the latest of each cell)."""

    lookups: ClassVar[dict[str, Lookup]] = {
        "nation": lambda nations: Q(nation__in=nations),
        "bloc": _in_blocs("nation_id"),
        "type": lambda types: Q(pledge_type__in=types),
        "stance": lambda stances: Q(stance__in=stances),
        "formality": lambda formalities: Q(formality__in=formalities),
        "as_of": lambda as_of: Q(announced_on__lte=as_of),
        "q": selectors.text_matches,
        "changed_since": lambda since: Q(updated_at__gte=since),
    }

    class Meta(ReaderFilterSet.Meta):
        model = Pledge


class NationFilterSet(ReaderFilterSet):
    type = stance = formality = as_of = changed_since = None
    lookups: ClassVar[dict[str, Lookup]] = {
        "nation": lambda nations: Q(pk__in=[nation.pk for nation in nations]),
        "bloc": _in_blocs("pk"),
        "q": lambda text: Q(name__icontains=text),
    }

    class Meta(ReaderFilterSet.Meta):
        model = Nation


class BlocFilterSet(ReaderFilterSet):
    type = stance = formality = as_of = changed_since = None
    lookups: ClassVar[dict[str, Lookup]] = {
        "nation": lambda nations: Exists(
            Bloc.nations.through.objects.filter(bloc_id=OuterRef("pk"), nation__in=nations)
        ),
        "bloc": lambda blocs: Q(pk__in=[bloc.pk for bloc in blocs]),
        "q": lambda text: Q(name__icontains=text),
    }

    class Meta(ReaderFilterSet.Meta):
        model = Bloc


class LeaderFilterSet(ReaderFilterSet):
    type = stance = formality = as_of = changed_since = None
    lookups: ClassVar[dict[str, Lookup]] = {
        "nation": lambda nations: Q(nation__in=nations),
        "bloc": _in_blocs("nation_id"),
        "q": lambda text: Q(name__icontains=text) | Q(office__icontains=text),
    }

    class Meta(ReaderFilterSet.Meta):
        model = Leader


class PledgeTypeFilterSet(ReaderFilterSet):
    nation = bloc = stance = formality = as_of = changed_since = None
    lookups: ClassVar[dict[str, Lookup]] = {
        "type": lambda types: Q(pk__in=[kind.pk for kind in types]),
        "q": lambda text: Q(name__icontains=text),
    }

    class Meta(ReaderFilterSet.Meta):
        model = PledgeType


class ConditionFilterSet(ReaderFilterSet):
    """Conditions, narrowed by the pledges that set them."""

    as_of = changed_since = None
    lookups: ClassVar[dict[str, Lookup]] = {
        "nation": _cited_by("conditions", lambda nations: Q(nation__in=nations)),
        "bloc": _cited_by("conditions", _in_blocs("nation_id")),
        "type": _cited_by("conditions", lambda types: Q(pledge_type__in=types)),
        "stance": _cited_by("conditions", lambda stances: Q(stance__in=stances)),
        "formality": _cited_by("conditions", lambda formalities: Q(formality__in=formalities)),
        "q": lambda text: Q(name__icontains=text),
    }

    class Meta(ReaderFilterSet.Meta):
        model = Condition


class SourceFilterSet(ReaderFilterSet):
    """Sources, narrowed by the pledges they support; the text searched is the title and the
    outlet (never the stored article text, which the API does not show)."""

    changed_since = None
    lookups: ClassVar[dict[str, Lookup]] = {
        "nation": _cited_by("sources", lambda nations: Q(nation__in=nations)),
        "bloc": _cited_by("sources", _in_blocs("nation_id")),
        "type": _cited_by("sources", lambda types: Q(pledge_type__in=types)),
        "stance": _cited_by("sources", lambda stances: Q(stance__in=stances)),
        "formality": _cited_by("sources", lambda formalities: Q(formality__in=formalities)),
        "as_of": lambda as_of: Q(published_on__lte=as_of),
        "q": lambda text: Q(title__icontains=text) | Q(outlet__icontains=text),
    }

    class Meta(ReaderFilterSet.Meta):
        model = Source


class QuoteFilterSet(ReaderFilterSet):
    """Quotes: nation and bloc are whose side the speaker speaks for; type, stance and
    formality those of the pledges that cite the quote."""

    changed_since = None
    lookups: ClassVar[dict[str, Lookup]] = {
        "nation": lambda nations: Q(nation__in=nations),
        "bloc": _in_blocs("nation_id"),
        "type": _cited_by("quotes", lambda types: Q(pledge_type__in=types)),
        "stance": _cited_by("quotes", lambda stances: Q(stance__in=stances)),
        "formality": _cited_by("quotes", lambda formalities: Q(formality__in=formalities)),
        "as_of": lambda as_of: Q(said_on__lte=as_of),
        "q": lambda text: Q(text__icontains=text),
    }

    class Meta(ReaderFilterSet.Meta):
        model = Quote
