"""Sources: one per URL or text, a republished wire story stored as a corroboration of
its original.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from django.db import IntegrityError, transaction

from ingest import storage
from ingest.near_duplicates import recent_fingerprints
from ingest.storage import insert_with_history
from ingest.web.canonical import minhash_signature
from ingest.web.pages import ParsedArticle, parse_article
from pledges.models import Pledge, Source, content_hash


def source_store(url: str, parsed: ParsedArticle) -> Source:
    """The Source for this text: an existing one with the same URL or the same text, or a new
    one, marked as a corroboration when it is wire copy republished from another outlet."""
    try:
        with transaction.atomic():
            fingerprint = minhash_signature(parsed.text)
            return source_for(
                url,
                parsed,
                fingerprint,
                digest=content_hash(parsed.text),
                duplicate_of=recent_fingerprints.original_of(fingerprint),
            )[0]
    except IntegrityError:
        # Another worker stored the same URL first.
        return Source.objects.get(url=url)


def source_for(
    url: str,
    parsed: ParsedArticle,
    fingerprint: list[int],
    *,
    digest: str,
    duplicate_of: Source | None,
    extracted_at: dt.datetime | None = None,
) -> tuple[Source, bool]:
    """`source_store`'s Source, and whether it is new: a copy of `duplicate_of` when that is
    given. Raises IntegrityError when another worker stores the same URL first; the
    transaction is then spoilt (no savepoint: two more round trips per article), and the
    caller starts it again."""
    existing = _stored_source(url, digest)
    if existing:
        return existing, False
    source = Source(
        url=url,
        title=(parsed.title or "")[:500],
        outlet=(parsed.outlet or "")[:200],
        published_on=parsed.published,
        text=parsed.text,
        content_hash=digest,
        fingerprint=fingerprint,
        duplicate_of=duplicate_of,
        extracted_at=extracted_at,
    )
    # The same rows as save() writes, for less work, with the content hash computed before
    # the transaction.
    insert_with_history([source])
    if source.duplicate_of_id:
        _corroborate(source)
    return source, True


def _corroborate(source: Source) -> None:
    """A republished story backs the pledges its original already supports."""
    for pledge in Pledge.objects.filter(sources=source.duplicate_of_id):
        pledge.sources.add(source)


def source_from_file(path: Path) -> Source:
    """Store a saved HTML or text file as a Source, keyed by its file name."""
    body = path.read_bytes()
    is_html = path.suffix.lower() in {".html", ".htm", ".xhtml"}
    url = f"file:{path.name}"
    parsed = parse_article(
        body,
        content_type="text/html" if is_html else "text/plain",
        charset=None,
        url=url,
    )
    with transaction.atomic():
        return source_store(url, parsed)


def _stored_source(url: str, digest: str) -> Source | None:
    """The source stored under this URL, else the oldest with this text."""
    matches = storage.stored_sources(url, digest)
    if not matches:
        return None
    pk = min(matches, key=lambda match: (match[1] != url, match[0]))[0]
    return Source.objects.get(pk=pk)
