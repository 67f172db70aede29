"""Editors curate everything here; every change is kept in history (who, when, what)."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import Count, QuerySet
from django.http import HttpRequest
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


@admin.register(Pledge)
class PledgeAdmin(SimpleHistoryAdmin):
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
