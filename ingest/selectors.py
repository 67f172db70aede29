"""Reads for the editors' pages: the review queue and ingestion progress."""

from __future__ import annotations

from django.db.models import Count, Max, Prefetch, Q, QuerySet
from django.utils.html import format_html
from django.utils.safestring import SafeString

from ingest.models import Article, Candidate, Feed
from pledges.models import Source

CONTEXT_CHARS = 280


def sources_awaiting_review() -> QuerySet[Source]:
    """Sources with pending candidates, the surest first: each source by its most confident
    pending candidate (then oldest first), and its candidates by confidence."""
    is_pending = Q(candidates__status=Candidate.Status.PENDING)
    pending = (
        Candidate.objects.filter(status=Candidate.Status.PENDING)
        .select_related("nation", "pledge_type", "leader", "quote")
        .order_by("-confidence", "pk")
    )
    return (
        Source.objects.annotate(
            pending=Count("candidates", filter=is_pending),
            surest=Max("candidates__confidence", filter=is_pending),
        )
        .filter(pending__gt=0)
        .prefetch_related(Prefetch("candidates", queryset=pending, to_attr="pending_candidates"))
        .defer("fingerprint")
        .order_by("-surest", "created_at", "pk")
    )


def pending_count() -> int:
    return Candidate.objects.filter(status=Candidate.Status.PENDING).count()


def evidence_in_context(candidate: Candidate, source_text: str) -> SafeString:
    """The evidence sentence marked inside the text around it; all web text escaped."""
    start, end = candidate.evidence_start, candidate.evidence_end
    if source_text[start:end] != candidate.evidence:
        return format_html("<mark>{}</mark>", candidate.evidence)
    before = source_text[max(0, start - CONTEXT_CHARS) : start]
    after = source_text[end : end + CONTEXT_CHARS]
    return format_html(
        "{}{}<mark>{}</mark>{}{}",
        "…" if start > CONTEXT_CHARS else "",
        before,
        candidate.evidence,
        after,
        "…" if end + CONTEXT_CHARS < len(source_text) else "",
    )


def recent_articles(limit: int = 50) -> QuerySet[Article]:
    return Article.objects.select_related("source").order_by("-updated_at")[:limit]


def feeds_with_counts() -> QuerySet[Feed]:
    return Feed.objects.annotate(article_count=Count("articles")).order_by("title", "url")
