"""Editors' pages: the review queue, article submission with live progress, and feeds.

Every page needs the "change candidate" permission (the Editors group has it); every
change is a POST with CSRF. HTMX swaps just the piece that changed; without JavaScript the
same forms post and redirect back.
"""

from __future__ import annotations

from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from ingest import selectors, services, tasks
from ingest.forms import ArticleSubmitForm, BulkDecisionForm, CorrectionForm, FeedForm
from ingest.models import Article, Candidate
from pledges.htmx import HtmxHttpRequest, is_partial
from pledges.models import Nation, PledgeType

SOURCES_PER_PAGE = 10


def editor_required(view):
    @wraps(view)
    @login_required
    @permission_required("ingest.change_candidate", raise_exception=True)
    def wrapped(request, *args, **kwargs):
        return view(request, *args, **kwargs)

    return wrapped


@require_GET
@editor_required
def review_queue(request: HtmxHttpRequest) -> HttpResponse:
    page = Paginator(selectors.sources_awaiting_review(), SOURCES_PER_PAGE).get_page(
        request.GET.get("page")
    )
    candidates = [c for source in page.object_list for c in source.pending_candidates]
    recorded = services.recorded_pledges(candidates)
    for source in page.object_list:
        for candidate in source.pending_candidates:
            candidate.in_context = selectors.evidence_in_context(candidate, source.text)
            candidate.recorded = recorded.get(candidate.pk)
            candidate.statement_date = services.candidate_date(candidate)
            candidate.summary = services.summary_sentence(candidate.evidence)
    return render(
        request,
        "ingest/review.html",
        {
            "page": page,
            "pending_count": selectors.pending_count(),
            "nations": Nation.objects.only("iso2", "name"),
            "pledge_types": PledgeType.objects.all(),
            "correction_form": CorrectionForm(),
        },
    )


@require_POST
@editor_required
def candidate_decide(request: HtmxHttpRequest, pk: int, decision: str) -> HttpResponse:
    candidate = get_object_or_404(Candidate, pk=pk)
    status = 200
    if decision == "accept":
        form = CorrectionForm(request.POST)
        if not form.is_valid():
            message = " ".join(f"{k}: {' '.join(v)}" for k, v in form.errors.items())
            return _decision_response(request, candidate, message, status=400)
        data = form.cleaned_data
        correction = services.Correction(
            nation=data["nation"],
            pledge_type=data["pledge_type"],
            stance=data["stance"] or None,
            formality=data["formality"] or None,
            conditions=form.condition_names(),
            announced_on=data["announced_on"],
            summary=data["summary"] or None,
        )
        try:
            pledge = services.candidate_accept(pk, editor=request.user, correction=correction)
            cell = f"{pledge.nation} · {pledge.pledge_type} · {pledge.stance}"
            message = (
                f"Added as evidence to {cell} ({pledge.announced_on:%-d %B %Y})."
                if pledge.added_as_evidence
                else f"Accepted: {cell}."
            )
        except services.AlreadyDecided as error:
            message, status = str(error), 409
    elif decision == "reject":
        try:
            services.candidate_reject(pk, editor=request.user)
            message = f"Rejected: {candidate.nation} · {candidate.pledge_type}."
        except services.AlreadyDecided as error:
            message, status = str(error), 409
    else:
        return HttpResponse("Unknown decision.", status=404)
    candidate.refresh_from_db()
    return _decision_response(request, candidate, message, status=status)


def _decision_response(
    request: HtmxHttpRequest, candidate: Candidate, message: str, *, status: int
) -> HttpResponse:
    if is_partial(request):
        return render(
            request,
            "ingest/_decided.html",
            {"candidate": candidate, "message": message},
            status=status,
        )
    (messages.success if status == 200 else messages.error)(request, message)
    return redirect(reverse("ingest:review") + f"#source-{candidate.source_id}")


@require_POST
@editor_required
def review_bulk(request: HtmxHttpRequest) -> HttpResponse:
    form = BulkDecisionForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
        return redirect("ingest:review")
    decide = (
        services.candidate_accept
        if form.cleaned_data["decision"] == "accept"
        else services.candidate_reject
    )
    done, skipped = 0, 0
    for pk in form.cleaned_data["candidate"]:
        try:
            decide(pk, editor=request.user)
            done += 1
        except (services.AlreadyDecided, Candidate.DoesNotExist):
            skipped += 1
    verb = "Accepted" if decide is services.candidate_accept else "Rejected"
    text = f"{verb} {done} candidate{'s' if done != 1 else ''}."
    if skipped:
        text += f" {skipped} had already been decided by someone else and were left as they were."
    messages.success(request, text)
    return redirect("ingest:review")


@require_http_methods(["GET", "POST"])
@editor_required
def article_submit(request: HtmxHttpRequest) -> HttpResponse:
    form = ArticleSubmitForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            article = tasks.submit_article(form.cleaned_data["url"], editor=request.user)
        except services.SubmissionRefused as error:
            form.add_error("url", str(error))
        else:
            return redirect("ingest:article", pk=article.pk)
    return render(
        request,
        "ingest/submit.html",
        {"form": form, "articles": selectors.recent_articles()},
        status=400 if form.errors else 200,
    )


@require_GET
@vary_on_headers("HX-Request")
@editor_required
def article_status(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    article = get_object_or_404(Article.objects.select_related("source"), pk=pk)
    template = "ingest/article.html#status" if is_partial(request) else "ingest/article.html"
    return render(request, template, {"article": article})


@require_http_methods(["GET", "POST"])
@editor_required
def feeds(request: HtmxHttpRequest) -> HttpResponse:
    form = FeedForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        feed = form.save()
        tasks.poll_feed.delay_on_commit(feed.pk)
        messages.success(request, f"Added {feed.url}; polling it now.")
        return redirect("ingest:feeds")
    return render(
        request,
        "ingest/feeds.html",
        {
            "form": form,
            "feeds": selectors.feeds_with_counts(),
            "poll_minutes": int(settings.FEED_POLL_INTERVAL.total_seconds() // 60),
            "max_new_entries": settings.FEED_MAX_NEW_ENTRIES,
        },
        status=400 if form.errors else 200,
    )
