"""Editors curate everything here; every change is kept in history (who, when, what)."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.db import transaction
from django.db.models import Count, QuerySet
from django.http import HttpRequest
from django.utils import timezone
from simple_history.admin import SimpleHistoryAdmin

from .models import Bloc, Condition, Leader, Nation, Pledge, PledgeType, Quote, Source


class HasPledgesFilter(admin.SimpleListFilter):
    title = "has pledges"
    parameter_name = "has_pledges"

    def lookups(self, request, model_admin):
        return [("yes", "Yes"), ("no", "No")]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(pledges__isnull=False).distinct()
        if self.value() == "no":
            return queryset.filter(pledges__isnull=True)
        return queryset


@admin.register(Bloc)
class BlocAdmin(SimpleHistoryAdmin):
    list_display = ["name", "slug", "member_count"]
    search_fields = ["name", "slug"]
    ordering = ["name"]  # Meta.ordering is dropped once Count() groups the rows
    prepopulated_fields = {"slug": ["name"]}

    def get_queryset(self, request: HttpRequest) -> QuerySet[Bloc]:
        return super().get_queryset(request).annotate(members=Count("nations"))

    @admin.display(description="members", ordering="members")
    def member_count(self, bloc: Bloc) -> int:
        return bloc.members


@admin.register(Nation)
class NationAdmin(SimpleHistoryAdmin):
    list_display = ["name", "iso2", "iso3", "capital"]
    list_filter = ["blocs", HasPledgesFilter]
    search_fields = ["name", "iso2", "iso3", "capital"]
    filter_horizontal = ["blocs"]


@admin.register(Leader)
class LeaderAdmin(SimpleHistoryAdmin):
    list_display = ["name", "nation", "office", "in_office_from", "in_office_to"]
    list_select_related = ["nation"]
    list_filter = ["nation__blocs", "office"]
    search_fields = ["name", "office", "nation__name", "nation__iso2"]
    autocomplete_fields = ["nation"]


@admin.register(PledgeType)
class PledgeTypeAdmin(SimpleHistoryAdmin):
    list_display = ["name", "slug", "order"]
    list_editable = ["order"]
    search_fields = ["name", "slug", "description"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Condition)
class ConditionAdmin(SimpleHistoryAdmin):
    list_display = ["name", "status", "pledge_count"]
    list_filter = ["status"]
    ordering = ["name"]  # Meta.ordering is dropped once Count() groups the rows
    search_fields = ["name", "description"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Condition]:
        return super().get_queryset(request).annotate(hanging=Count("pledges"))

    @admin.display(description="pledges hanging on it", ordering="hanging")
    def pledge_count(self, condition: Condition) -> int:
        return condition.hanging


class QuoteInline(admin.StackedInline):
    model = Quote
    extra = 0
    autocomplete_fields = ["leader", "nation"]
    fields = ["text", "leader", "speaker_role", "nation", "said_on"]


@admin.register(Source)
class SourceAdmin(SimpleHistoryAdmin):
    list_display = ["title", "outlet", "published_on", "url"]
    list_filter = ["outlet", "published_on"]
    search_fields = ["title", "url", "outlet"]
    date_hierarchy = "published_on"
    readonly_fields = ["content_hash", "created_at"]
    inlines = [QuoteInline]


@admin.register(Quote)
class QuoteAdmin(SimpleHistoryAdmin):
    list_display = ["short_text", "speaker", "source", "said_on"]
    list_select_related = ["leader", "source"]
    list_filter = ["said_on", "nation"]
    search_fields = ["text", "speaker_role", "leader__name", "source__title", "source__url"]
    autocomplete_fields = ["leader", "nation", "source"]

    @admin.display(description="quote")
    def short_text(self, quote: Quote) -> str:
        return quote.text[:80]


class PledgeQuoteInline(admin.TabularInline):
    model = Pledge.quotes.through
    extra = 0
    autocomplete_fields = ["quote"]
    verbose_name = "quote (evidence)"
    verbose_name_plural = "quotes (evidence)"


class PledgeForm(forms.ModelForm):
    """Refuses to save over a change someone else saved after this form was opened.

    The hidden `version` is the pledge's `updated_at` when the page was rendered; PledgeAdmin
    locks the row before the form is checked, so of two editors saving at once the second
    compares against the first one's committed change.
    """

    version = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["version"].initial = self.instance.updated_at.isoformat()

    def clean(self) -> dict:
        cleaned = super().clean()
        if self.instance.pk and cleaned.get("version") != self.instance.updated_at.isoformat():
            raise forms.ValidationError(stale_message(self.instance), code="stale")
        return cleaned


def stale_message(pledge: Pledge) -> str:
    latest = pledge.history.select_related("history_user").order_by("-history_date").first()
    who = latest.history_user.get_username() if latest and latest.history_user else "someone"
    when = timezone.localtime(latest.history_date if latest else pledge.updated_at)
    return (
        f"This pledge was changed by {who} at {when:%Y-%m-%d %H:%M:%S %Z} since you opened "
        "it; reload the page to see that change, then make yours again."
    )


@admin.register(Pledge)
class PledgeAdmin(SimpleHistoryAdmin):
    form = PledgeForm
    list_display = ["nation", "pledge_type", "stance", "formality", "announced_on", "leader"]
    list_select_related = ["nation", "pledge_type", "leader"]
    list_filter = ["stance", "formality", "pledge_type", "nation__blocs", "announced_on"]
    search_fields = [
        "nation__name",
        "nation__iso2",
        "pledge_type__name",
        "leader__name",
        "summary",
        "quotes__text",
    ]
    autocomplete_fields = ["nation", "pledge_type", "leader", "conditions", "sources"]
    date_hierarchy = "announced_on"
    exclude = ["quotes"]
    inlines = [PledgeQuoteInline]

    def get_object(self, request: HttpRequest, object_id: str, from_field=None) -> Pledge | None:
        pledge = super().get_object(request, object_id, from_field)
        if (
            pledge is not None
            and request.method == "POST"
            and transaction.get_connection().in_atomic_block
        ):
            # Wait for an editor saving this pledge right now; PledgeForm then sees their change.
            pledge = self.get_queryset(request).select_for_update(of=("self",)).get(pk=pledge.pk)
        return pledge
