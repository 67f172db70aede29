"""The curated data model: who pledged what security guarantee, how firmly, on whose word."""

from __future__ import annotations

import hashlib
import unicodedata

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse

from pledges.history import HistoricalRecords


def validate_word_list(value: object) -> None:
    if not isinstance(value, list) or not all(isinstance(w, str) and w.strip() for w in value):
        raise ValidationError('Enter a JSON list of non-empty strings, e.g. ["Italian", "Rome"].')


def seed_key_field() -> models.SlugField:
    """The row's key in `seeds/`, kept through every edit: `load_seed` creates a key's row once
    and never again, so an editor's change or deletion is never undone."""
    return models.SlugField(
        max_length=120,
        unique=True,
        null=True,
        blank=True,
        editable=False,
        help_text="Set on rows loaded from the seed files.",
    )


class Stance(models.TextChoices):
    COMMITTED = "committed", "committed"
    OPEN = "open", "open"
    CONDITIONAL = "conditional", "conditional"
    DECLINED = "declined", "declined"


class Formality(models.TextChoices):
    STATEMENT = "statement", "statement"
    DECLARATION = "declaration", "declaration or joint communiqué"
    AGREEMENT = "agreement", "signed agreement"
    APPROVED = "approved", "approved by parliament or government"
    DELIVERED = "delivered", "delivered or deployed"


class Bloc(models.Model):
    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=120, unique=True)
    description = models.TextField(blank=True)
    seed_key = seed_key_field()
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Nation(models.Model):
    iso2 = models.CharField(
        "ISO 3166-1 alpha-2",
        max_length=2,
        unique=True,
        validators=[RegexValidator(r"^[A-Z]{2}$", "Two capital letters, e.g. IT.")],
    )
    iso3 = models.CharField(
        "ISO 3166-1 alpha-3",
        max_length=3,
        unique=True,
        validators=[RegexValidator(r"^[A-Z]{3}$", "Three capital letters, e.g. ITA.")],
    )
    name = models.CharField(max_length=120)
    demonyms = models.JSONField(default=list, blank=True, validators=[validate_word_list])
    capital = models.CharField(max_length=120, blank=True)
    seats = models.JSONField(
        "seats of government",
        default=list,
        blank=True,
        validators=[validate_word_list],
        help_text='Places that stand for the government: "the Élysée", "Downing Street".',
    )
    aliases = models.JSONField(
        default=list,
        blank=True,
        validators=[validate_word_list],
        help_text="Words articles use for this nation: other names, demonyms, capital, "
        'seat of government ("the Élysée").',
    )
    blocs = models.ManyToManyField(Bloc, related_name="nations", blank=True)
    seed_key = seed_key_field()
    history = HistoricalRecords(m2m_fields=[blocs])

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(iso2__regex=r"^[A-Z]{2}$"), name="nation_iso2_two_capitals"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("pledges:nation", args=[self.iso2])


class Leader(models.Model):
    name = models.CharField(max_length=160)
    nation = models.ForeignKey(Nation, on_delete=models.PROTECT, related_name="leaders")
    office = models.CharField(max_length=160, blank=True)
    in_office_from = models.DateField(null=True, blank=True)
    in_office_to = models.DateField(null=True, blank=True)
    aliases = models.JSONField(
        default=list,
        blank=True,
        validators=[validate_word_list],
        help_text='How articles name this person: "Meloni", "Italian Prime Minister Giorgia '
        'Meloni".',
    )
    seed_key = seed_key_field()
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["name", "nation"],
                name="leader_unique_name_per_nation",
                violation_error_message="This nation already has a leader with this name.",
            ),
            models.CheckConstraint(
                condition=Q(in_office_to__isnull=True)
                | Q(in_office_from__isnull=True)
                | Q(in_office_to__gte=models.F("in_office_from")),
                name="leader_office_ends_after_it_starts",
                violation_error_message="A term cannot end before it starts.",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("pledges:leader", args=[self.pk])


class PledgeType(models.Model):
    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=80, unique=True)
    description = models.TextField()
    order = models.PositiveSmallIntegerField(
        default=100, help_text="Columns of the matrix are sorted by this number."
    )
    signals = models.JSONField(
        default=list,
        blank=True,
        validators=[validate_word_list],
        help_text="Words and phrases that signal this type in articles; the extractor reads them.",
    )
    seed_key = seed_key_field()
    history = HistoricalRecords()

    class Meta:
        ordering = ["order", "slug"]

    def __str__(self) -> str:
        return self.name


class Condition(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "pending"
        MET = "met", "met"
        LAPSED = "lapsed", "lapsed"

    name = models.CharField(max_length=160, unique=True)
    description = models.TextField(blank=True)
    status = models.CharField(max_length=12, choices=Status, default=Status.PENDING)
    seed_key = seed_key_field()
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["pending", "met", "lapsed"]),
                name="condition_status_known",
            ),
        ]

    def __str__(self) -> str:
        return self.name


def content_hash(text: str) -> str:
    """Hash of the text with Unicode forms, case and whitespace folded, so that re-fetches
    of the same article compare equal."""
    folded = " ".join(unicodedata.normalize("NFKC", text).casefold().split())
    return hashlib.sha256(folded.encode("utf-8", "surrogatepass")).hexdigest()


class Source(models.Model):
    url = models.CharField(
        "canonical URL",
        max_length=2000,
        unique=True,
        error_messages={"unique": "A source with this canonical URL already exists."},
    )
    outlet = models.CharField(max_length=200, blank=True)
    title = models.CharField(max_length=500, blank=True)
    published_on = models.DateField(null=True, blank=True)
    text = models.TextField(blank=True)
    content_hash = models.CharField(max_length=64, db_index=True, editable=False)
    fingerprint = models.JSONField(
        default=list,
        blank=True,
        editable=False,
        help_text="MinHash signature of the text, to recognise wire copy republished elsewhere.",
    )
    duplicate_of = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="corroborations",
        help_text="The original of a near-identical story from another outlet; this source "
        "then corroborates the original's pledges instead of proposing its own.",
    )
    extracted_at = models.DateTimeField(null=True, blank=True, editable=False)
    extraction_cut_at = models.PositiveIntegerField(
        null=True,
        blank=True,
        editable=False,
        help_text="Candidates were looked for only before this character of the text "
        "(EXTRACT_MAX_CHARS).",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    seed_key = seed_key_field()
    history = HistoricalRecords(excluded_fields=["text", "fingerprint"])

    class Meta:
        ordering = ["-published_on", "-id"]
        indexes = [
            # The newest originals, which every ingested article is compared with
            # (ingest.near_duplicates): read from one end, whatever the planner's statistics
            # say. Without it, a young table's stale statistics had PostgreSQL read every
            # original through the duplicate_of index on each article.
            models.Index(
                fields=["id"], condition=Q(duplicate_of__isnull=True), name="source_originals"
            ),
        ]

    def __str__(self) -> str:
        return self.title or self.url

    def save(self, *args, **kwargs) -> None:
        self.content_hash = content_hash(self.text)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("pledges:source", args=[self.pk])

    @property
    def is_web(self) -> bool:
        return self.url.startswith(("http://", "https://"))


class Quote(models.Model):
    text = models.TextField(help_text="The words verbatim, without quotation marks.")
    text_hash = models.CharField(max_length=64, editable=False)
    leader = models.ForeignKey(
        Leader, on_delete=models.PROTECT, null=True, blank=True, related_name="quotes"
    )
    speaker_role = models.CharField(
        max_length=160,
        blank=True,
        help_text="When no leader is known: the role the source names, e.g. "
        '"a White House official".',
    )
    nation = models.ForeignKey(
        Nation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="quotes",
        help_text="Whose side the speaker speaks for; the leader's nation when blank.",
    )
    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="quotes")
    said_on = models.DateField(null=True, blank=True)
    reviewed = models.BooleanField(
        default=True,
        help_text="Extracted quotes stay off the public pages until an editor accepts a "
        "candidate that cites them, or ticks this.",
    )
    seed_key = seed_key_field()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-said_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "text_hash"],
                name="quote_unique_per_source",
                violation_error_message="This source already has this quote.",
            ),
            models.CheckConstraint(
                condition=Q(leader__isnull=False) | ~Q(speaker_role=""),
                name="quote_has_speaker",
                violation_error_message="Name the leader or the speaker's role.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.speaker}: “{self.text[:60]}”"

    def save(self, *args, **kwargs) -> None:
        self.text_hash = self.hash_text(self.text)
        if self.leader_id and not self.nation_id:
            self.nation_id = self.leader.nation_id
        super().save(*args, **kwargs)

    @staticmethod
    def hash_text(text: str) -> str:
        return hashlib.sha256(text.strip().encode()).hexdigest()

    @property
    def speaker(self) -> str:
        return self.leader.name if self.leader_id else self.speaker_role


# The public reason an editor gives for changing or removing a published pledge.
CHANGE_REASON_MAX_LENGTH = 500


class Pledge(models.Model):
    nation = models.ForeignKey(Nation, on_delete=models.PROTECT, related_name="pledges")
    pledge_type = models.ForeignKey(
        PledgeType, on_delete=models.PROTECT, related_name="pledges", verbose_name="pledge type"
    )
    stance = models.CharField(max_length=12, choices=Stance)
    formality = models.CharField(max_length=12, choices=Formality, default=Formality.STATEMENT)
    conditions = models.ManyToManyField(Condition, related_name="pledges", blank=True)
    leader = models.ForeignKey(
        Leader,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="pledges",
        help_text="Who stated it, when a leader did.",
    )
    announced_on = models.DateField()
    summary = models.TextField(blank=True)
    sources = models.ManyToManyField(Source, related_name="pledges", blank=True)
    quotes = models.ManyToManyField(Quote, related_name="pledges", blank=True)
    settles_disagreement = models.BooleanField(
        "settles a disagreement",
        default=False,
        help_text="Tick when other statements of the same period give a different stance and "
        "this one stands (they were misreported or overtaken): the cell is then no longer "
        "shown as contested.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    seed_key = seed_key_field()
    history = HistoricalRecords(
        m2m_fields=[conditions, sources, quotes],
        history_change_reason_field=models.TextField(null=True),
    )

    class Meta:
        ordering = ["-announced_on", "-id"]
        indexes = [
            models.Index(
                fields=["nation", "pledge_type", "-announced_on", "-id"],
                name="pledge_latest_per_cell",
            ),
            models.Index(fields=["announced_on"], name="pledge_announced_on"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(stance__in=Stance.values), name="pledge_stance_known"
            ),
            models.CheckConstraint(
                condition=Q(formality__in=Formality.values), name="pledge_formality_known"
            ),
            models.UniqueConstraint(
                fields=["nation", "pledge_type", "announced_on", "stance"],
                name="pledge_unique_statement_per_day",
                violation_error_message="This nation already has this stance on this type "
                "for this date.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.nation} · {self.pledge_type} · {self.stance} ({self.announced_on})"

    def get_absolute_url(self) -> str:
        return reverse("pledges:cell", args=[self.nation.iso2, self.pledge_type.slug])
