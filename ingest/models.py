"""Ingestion state: feeds we poll, articles we fetch, and the candidates editors review."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from pledges.history import HistoricalRecords
from pledges.models import Leader, Nation, Pledge, PledgeType, Quote, Source, Stance


class Feed(models.Model):
    """An RSS or Atom address that beat polls."""

    url = models.CharField(
        "feed URL",
        max_length=2000,
        unique=True,
        error_messages={"unique": "This feed is already being polled."},
    )
    title = models.CharField(max_length=300, blank=True)
    is_active = models.BooleanField(default=True)
    etag = models.CharField(max_length=500, blank=True, editable=False)
    last_modified = models.CharField(max_length=100, blank=True, editable=False)
    last_polled_at = models.DateTimeField(null=True, blank=True, editable=False)
    last_success_at = models.DateTimeField(null=True, blank=True, editable=False)
    last_error = models.TextField(blank=True, editable=False)
    consecutive_failures = models.PositiveIntegerField(default=0, editable=False)
    # A database default too: code from before this column (mid-deploy) still inserts feeds.
    entries_waiting = models.PositiveIntegerField(
        default=0,
        db_default=0,
        editable=False,
        help_text="New entries the last poll left for later polls (a poll takes at most "
        "FEED_MAX_NEW_ENTRIES).",
    )
    retry_after = models.DateTimeField(
        null=True,
        blank=True,
        editable=False,
        help_text="Not polled before this time (backoff after failures, or the server's "
        "Retry-After).",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords(
        excluded_fields=[
            "etag",
            "last_modified",
            "last_polled_at",
            "last_success_at",
            "last_error",
            "consecutive_failures",
            "entries_waiting",
            "retry_after",
        ]
    )

    class Meta:
        ordering = ["title", "url"]

    def __str__(self) -> str:
        return self.title or self.url


class Article(models.Model):
    """One article address and how far its ingestion got; the same address seen twice
    (two feeds, a re-poll, an editor's submission) is one Article."""

    class Status(models.TextChoices):
        QUEUED = "queued", "queued"
        FETCHING = "fetching", "fetching"
        EXTRACTING = "extracting", "extracting"
        DONE = "done", "done"
        FAILED = "failed", "failed"

    url = models.CharField("canonical URL", max_length=2000, unique=True)
    status = models.CharField(max_length=12, choices=Status, default=Status.QUEUED)
    error = models.TextField(blank=True)
    attempts = models.PositiveIntegerField(default=0)
    retry_after = models.DateTimeField(
        null=True,
        blank=True,
        editable=False,
        help_text="Not fetched again before this time (a retry's backoff, or a failure's).",
    )
    source = models.ForeignKey(
        Source, on_delete=models.SET_NULL, null=True, blank=True, related_name="articles"
    )
    feeds = models.ManyToManyField(Feed, related_name="articles", blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="submitted_articles",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["queued", "fetching", "extracting", "done", "failed"]),
                name="article_status_known",
            ),
        ]

    def __str__(self) -> str:
        return self.url

    @property
    def is_finished(self) -> bool:
        return self.status in {self.Status.DONE, self.Status.FAILED}


class Candidate(models.Model):
    """What the extractor proposes from one source; pending until an editor decides."""

    class Status(models.TextChoices):
        PENDING = "pending", "pending"
        ACCEPTED = "accepted", "accepted"
        REJECTED = "rejected", "rejected"

    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="candidates")
    nation = models.ForeignKey(Nation, on_delete=models.CASCADE, related_name="candidates")
    pledge_type = models.ForeignKey(
        PledgeType, on_delete=models.CASCADE, related_name="candidates", verbose_name="pledge type"
    )
    stance = models.CharField(max_length=12, choices=Stance)
    confidence = models.FloatField()
    evidence = models.TextField(help_text="The sentence the candidate rests on, verbatim.")
    evidence_start = models.PositiveIntegerField()
    evidence_end = models.PositiveIntegerField()
    conditions = models.JSONField(default=list, blank=True)
    speaker = models.CharField(max_length=200, blank=True)
    leader = models.ForeignKey(
        Leader, on_delete=models.SET_NULL, null=True, blank=True, related_name="candidates"
    )
    quote = models.ForeignKey(
        Quote, on_delete=models.SET_NULL, null=True, blank=True, related_name="candidates"
    )
    status = models.CharField(max_length=10, choices=Status, default=Status.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="decided_candidates",
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    pledge = models.ForeignKey(
        Pledge, on_delete=models.SET_NULL, null=True, blank=True, related_name="candidates"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["source", "nation__name", "pledge_type__order"]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "nation", "pledge_type"],
                name="candidate_one_per_source_nation_type",
            ),
            models.CheckConstraint(
                condition=Q(stance__in=Stance.values), name="candidate_stance_known"
            ),
            models.CheckConstraint(
                condition=Q(status__in=["pending", "accepted", "rejected"]),
                name="candidate_status_known",
            ),
            models.CheckConstraint(
                condition=Q(confidence__gte=0) & Q(confidence__lte=1),
                name="candidate_confidence_in_unit_interval",
            ),
        ]
        indexes = [models.Index(fields=["status", "source"], name="candidate_queue")]

    def __str__(self) -> str:
        return f"{self.nation} · {self.pledge_type} · {self.stance} (from {self.source})"
