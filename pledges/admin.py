"""Editors curate everything here; every change is kept in history (who, when, what)."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.db import transaction
from django.db.models import Count, QuerySet
from django.http import HttpRequest, QueryDict
from django.utils import timezone
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    CHANGE_REASON_MAX_LENGTH,
    Bloc,
    Condition,
    Leader,
    Nation,
    Pledge,
    PledgeType,
    Quote,
    Source,
)


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


REASON_HELP = (
    "Public: readers see it in the cell's history. Say what was wrong and how you know "
    '("The source says Italy would not send troops; the record had it open."). A nation '
    "that changed its position is a new statement (add a pledge), not a correction."
)


class PledgeForm(forms.ModelForm):
    """Asks for the public reason of every change to a published pledge, and refuses to save
    over a change someone else saved after this form was opened.

    The hidden `version` is the pledge's `updated_at` when the page was rendered; PledgeAdmin
    locks the row before the form is checked, so of two editors saving at once the second
    compares against the first one's committed change.
    """

    version = forms.CharField(widget=forms.HiddenInput, required=False)
    change_reason = forms.CharField(
        label="Reason for this change",
        max_length=CHANGE_REASON_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=REASON_HELP,
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["version"].initial = self.instance.updated_at.isoformat()
            self.fields["change_reason"].required = True
        else:
            self.fields["change_reason"].label = "Note on this statement (optional, public)"
            self.fields["change_reason"].help_text = "Shown with the new statement in its history."

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
    delete_confirmation_template = "admin/pledges/pledge/delete_confirmation.html"

    def get_actions(self, request: HttpRequest) -> dict:
        # Deleting several at once would take no reason for each.
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    def save_model(self, request: HttpRequest, obj: Pledge, form, change: bool) -> None:
        # Kept on the instance, so the history rows written for its evidence carry it too.
        obj._change_reason = form.cleaned_data.get("change_reason") or None
        super().save_model(request, obj, form, change)

    def delete_view(self, request: HttpRequest, object_id: str, extra_context=None):
        reason = request.POST.get("change_reason", "").strip()[:CHANGE_REASON_MAX_LENGTH]
        missing = bool(request.POST) and not reason
        if missing:
            # Django deletes on any non-empty POST; without a reason it asks again instead.
            request.POST = QueryDict()
            extra_context = {**(extra_context or {}), "reason_missing": True}
        request._pledge_delete_reason = reason
        response = super().delete_view(request, object_id, extra_context)
        if missing:
            response.status_code = 400
        return response

    def delete_model(self, request: HttpRequest, obj: Pledge) -> None:
        obj._change_reason = request._pledge_delete_reason
        super().delete_model(request, obj)

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
