"""Extraction: the quotes and candidates the extractor finds in a source, stored in one
transaction with their history rows.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from functools import cache

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from ingest.extractor import Extraction, Extractor, load_backend
from ingest.extractor.bounds import BoundedExtractor
from ingest.extractor.budget import OutOfTime, time_limit
from ingest.gazetteers import KnownNames, known_names
from ingest.models import Article, Candidate
from ingest.services.article_states import article_failed, out_of_time
from ingest.storage import insert_with_history
from pledges.models import Quote, Source

logger = logging.getLogger("ingest")


@cache
def _backend() -> Extractor:
    return load_backend(settings.PLEDGE_EXTRACTOR)


def extractor() -> BoundedExtractor:
    """The configured backend, reading at most EXTRACT_MAX_CHARS of each text; the
    Extraction's cut_at says where it stopped, and the source records it."""
    return BoundedExtractor(_backend(), settings.EXTRACT_MAX_CHARS)


def source_extract(source_id: int) -> int:
    """Store the quotes and candidates the extractor finds in one source; returns how many
    candidates were created (0 when the source was extracted before)."""
    try:
        with time_limit(settings.ARTICLE_TIME_LIMIT), transaction.atomic():
            source = Source.objects.select_for_update().filter(pk=source_id).first()
            if source is None:
                return 0
            created = 0
            if source.extracted_at is None:
                if source.duplicate_of_id is None:
                    names = known_names()
                    extraction = extractor().extract(source.text, names.gazetteer)
                    quote_ids = dict(source.quotes.order_by().values_list("text_hash", "pk"))
                    rows = extraction_rows(extraction, names, source.published_on)
                    created = store_extraction(source, rows, quote_ids=quote_ids)
                Source.objects.filter(pk=source.pk).update(extracted_at=timezone.now())
            Article.objects.filter(source=source).exclude(status=Article.Status.DONE).update(
                status=Article.Status.DONE, error=""
            )
    except OutOfTime:
        source_out_of_time(source_id)
        return 0
    logger.info("source %s extracted: %d candidates", source_id, created)
    return created


def source_out_of_time(source_id: int, seconds: float | None = None) -> None:
    """The source stays stored and unextracted; its articles say why."""
    for article_id in Article.objects.filter(source_id=source_id).values_list("pk", flat=True):
        article_failed(article_id, out_of_time(seconds))


@dataclass
class ExtractionRows:
    """The Quote and Candidate rows of one extraction, built before the transaction that
    inserts them; it only fills in their source and the candidates' quotes."""

    quotes: dict[str, Quote]  # by text hash
    candidates: list[tuple[Candidate, str | None]]  # with their quote's text hash
    cut_at: int | None = None  # the text was read only up to here


def extraction_rows(
    extraction: Extraction, names: KnownNames, said_on: dt.date | None
) -> ExtractionRows:
    quotes: dict[str, Quote] = {}
    for found in extraction.quotes:
        text_hash = Quote.hash_text(found.text)
        if text_hash in quotes:
            continue
        leader_id, leader_nation_id = names.leaders.get(found.leader or "", (None, None))
        quotes[text_hash] = Quote(
            text=found.text,
            text_hash=text_hash,
            leader_id=leader_id,
            speaker_role="" if leader_id else (found.speaker or "an unnamed speaker")[:160],
            nation_id=names.nation_ids.get(found.nation_iso2 or "") or leader_nation_id,
            said_on=said_on,
            reviewed=False,
        )
    candidates = [
        (
            Candidate(
                nation_id=names.nation_ids[found.nation],
                pledge_type_id=names.pledge_type_ids[found.type],
                stance=found.stance,
                confidence=max(0.0, min(1.0, found.confidence)),
                evidence=found.evidence,
                evidence_start=found.evidence_start,
                evidence_end=found.evidence_end,
                conditions=list(found.conditions),
                speaker=(found.speaker or "")[:200],
                leader_id=names.leaders.get(found.leader or "", (None, None))[0],
            ),
            Quote.hash_text(found.quote) if found.quote else None,
        )
        for found in extraction.candidates
        if found.nation in names.nation_ids and found.type in names.pledge_type_ids
    ]
    return ExtractionRows(quotes=quotes, candidates=candidates, cut_at=extraction.cut_at)


def store_extraction(source: Source, rows: ExtractionRows, *, quote_ids: dict[str, int]) -> int:
    # The source is not yet extracted and either new in this transaction or row-locked by the
    # caller, so nothing here can already exist except quotes an editor curated by hand
    # (`quote_ids`, by text hash); the unique constraints are the last word if that ever
    # changes. Bulk inserts, with their history rows.
    quotes = [quote for text_hash, quote in rows.quotes.items() if text_hash not in quote_ids]
    if quotes:
        for quote in quotes:
            quote.source = source
        created = insert_with_history(quotes)
        quote_ids = {**quote_ids, **{quote.text_hash: quote.pk for quote in created}}
    candidates = []
    for candidate, quote_hash in rows.candidates:
        candidate.source = source
        candidate.quote_id = quote_ids.get(quote_hash) if quote_hash else None
        candidates.append(candidate)
    if candidates:
        insert_with_history(candidates)
    if rows.cut_at is not None:
        Source.objects.filter(pk=source.pk).update(extraction_cut_at=rows.cut_at)
        logger.warning("source %s: extracted only its first %d characters", source.pk, rows.cut_at)
    return len(candidates)
