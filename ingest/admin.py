"""Admin for ingestion: feeds (poll now, pause), articles (retry), candidates (decide)."""

from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from ingest import services, tasks
from ingest.models import Article, Candidate, Feed


@admin.register(Feed)
class FeedAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "is_active", "last_success_at", "consecutive_failures", "last_error"]
    list_filter = ["is_active"]
    search_fields = ["url", "title"]
    readonly_fields = [
        "last_polled_at", "last_success_at", "last_error", "consecutive_failures", "retry_after",
    ]  # fmt: skip
    actions = ["poll_now", "pause", "resume"]

    @admin.action(description="Poll the selected feeds now")
    def poll_now(self, request: HttpRequest, queryset: QuerySet[Feed]) -> None:
        queryset.update(retry_after=None)
        for feed_id in queryset.values_list("pk", flat=True):
            tasks.poll_feed.delay_on_commit(feed_id)
        self.message_user(request, f"Polling {queryset.count()} feed(s).")

    @admin.action(description="Pause the selected feeds")
    def pause(self, request: HttpRequest, queryset: QuerySet[Feed]) -> None:
        queryset.update(is_active=False)

    @admin.action(description="Resume the selected feeds")
    def resume(self, request: HttpRequest, queryset: QuerySet[Feed]) -> None:
        queryset.update(is_active=True, retry_after=None, consecutive_failures=0)


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = ["url", "status", "attempts", "updated_at", "source"]
    list_filter = ["status", "feeds"]
    list_select_related = ["source"]
    search_fields = ["url", "error"]
    readonly_fields = ["status", "error", "attempts", "source", "submitted_by", "feeds"]
    actions = ["retry"]

    @admin.action(description="Retry the selected failed articles")
    def retry(self, request: HttpRequest, queryset: QuerySet[Article]) -> None:
        failed = list(queryset.filter(status=Article.Status.FAILED).values_list("url", flat=True))
        for url in failed:
            tasks.submit_article(url, editor=request.user)
        self.message_user(request, f"Queued {len(failed)} article(s) again.")


@admin.register(Candidate)
class CandidateAdmin(SimpleHistoryAdmin):
    list_display = ["nation", "pledge_type", "stance", "confidence", "status", "source"]
    list_filter = ["status", "stance", "pledge_type", "nation__blocs"]
    list_select_related = ["nation", "pledge_type", "source"]
    search_fields = ["evidence", "nation__name", "source__title", "source__url"]
    autocomplete_fields = ["nation", "pledge_type", "leader", "quote", "source", "pledge"]
    readonly_fields = ["decided_by", "decided_at"]
    actions = ["accept", "reject"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    @admin.action(description="Accept the selected candidates", permissions=["change"])
    def accept(self, request: HttpRequest, queryset: QuerySet[Candidate]) -> None:
        self._decide(request, queryset, services.candidate_accept, "Accepted")

    @admin.action(description="Reject the selected candidates", permissions=["change"])
    def reject(self, request: HttpRequest, queryset: QuerySet[Candidate]) -> None:
        self._decide(request, queryset, services.candidate_reject, "Rejected")

    def _decide(self, request, queryset, decide, verb: str) -> None:
        done = skipped = 0
        for pk in queryset.values_list("pk", flat=True):
            try:
                decide(pk, editor=request.user)
                done += 1
            except services.AlreadyDecided:
                skipped += 1
        self.message_user(request, f"{verb} {done}; {skipped} already decided.", messages.INFO)
