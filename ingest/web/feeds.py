"""Reads RSS and Atom feeds from bytes we fetched ourselves: entry links, ids, titles, dates.

Feedparser never sees a URL (it could fetch it) and never sees a document that declares
entities: defusedxml screens the bytes first, so no entity expansion (billion laughs) and no
external entity (XXE) can happen.
"""

from __future__ import annotations

import io
import logging
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urljoin, urlsplit
from xml.etree.ElementTree import ParseError as XMLSyntaxError

import feedparser
from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring as defused_fromstring

from ingest.web.errors import MalformedFeed

logger = logging.getLogger("ingest.web.feeds")

MAX_FEED_BYTES = 10_000_000
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
_ENTITY_DECLARATIONS = tuple(
    "<!ENTITY".encode(encoding) for encoding in ("ascii", "utf-16-le", "utf-16-be")
)


@dataclass(frozen=True)
class FeedEntry:
    url: str
    guid: str
    title: str
    published: datetime | None


@dataclass(frozen=True)
class ParsedFeed:
    title: str
    entries: tuple[FeedEntry, ...]


def parse_feed(body: bytes, *, base_url: str) -> ParsedFeed:
    """Read a feed; relative links resolve against `base_url`, entries without an http(s)
    link are skipped. Raises MalformedFeed for anything that is not a usable feed.
    """
    _screen(body)
    try:
        parsed = feedparser.parse(
            io.BytesIO(body),
            # Without a content type feedparser flags every feed as faulty ("bozo").
            response_headers={"content-location": base_url, "content-type": "application/xml"},
            sanitize_html=False,
        )
    except Exception as exc:
        # Feedparser is tolerant by design, but on hostile bytes an unexpected error must
        # become a visible error on this feed rather than crash the poll of all feeds.
        logger.warning("feedparser failed on a feed from %s", base_url, exc_info=True)
        raise MalformedFeed(f"The feed could not be read ({type(exc).__name__}).") from exc
    if not parsed.get("version"):
        raise MalformedFeed("The document is not an RSS or Atom feed.")
    entries = tuple(
        entry
        for entry in (_entry(raw, base_url) for raw in parsed.get("entries", ()))
        if entry is not None
    )
    # Feedparser flags recoverable faults as "bozo"; such feeds are fine if they still yield
    # entries, and useless if they do not.
    if parsed.get("bozo") and not entries:
        raise MalformedFeed(
            f"The feed is malformed and yielded no entries: {parsed.get('bozo_exception')}."
        )
    return ParsedFeed(title=str(parsed.feed.get("title", "")).strip(), entries=entries)


def _screen(body: bytes) -> None:
    """Refuse empty, huge, binary and entity-declaring input before any XML parser runs."""
    if len(body) > MAX_FEED_BYTES:
        raise MalformedFeed(f"The feed is larger than {MAX_FEED_BYTES:,} bytes.")
    if not body.strip():
        raise MalformedFeed("The feed is empty.")
    is_utf16 = body.startswith(_UTF16_BOMS)
    if not is_utf16:
        if b"\x00" in body:
            raise MalformedFeed("The feed is binary data, not XML.")
        if not body.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<"):
            raise MalformedFeed("The document is not XML: it does not start with a tag.")
    if any(declaration in body for declaration in _ENTITY_DECLARATIONS):
        raise MalformedFeed("The feed declares XML entities, which we refuse for safety.")
    try:
        defused_fromstring(body)
    except DefusedXmlException as exc:
        raise MalformedFeed(f"The feed uses forbidden XML features: {exc}.") from None
    except XMLSyntaxError:
        # Not well-formed: feedparser's lenient parser may still recover entries from it, and
        # with no entity declarations (checked above) there is nothing left to expand.
        pass


def _entry(raw: Any, base_url: str) -> FeedEntry | None:
    link = _entry_link(raw)
    if not link:
        return None
    url = urljoin(base_url, link.strip())
    if urlsplit(url).scheme.lower() not in {"http", "https"} or not urlsplit(url).netloc:
        return None
    return FeedEntry(
        url=url,
        guid=str(raw.get("id") or url).strip(),
        title=str(raw.get("title", "")).strip(),
        published=_entry_date(raw),
    )


def _entry_link(raw: Any) -> str | None:
    link = raw.get("link")
    if isinstance(link, str) and link.strip():
        return link
    for candidate in raw.get("links", ()):
        href = candidate.get("href")
        if candidate.get("rel", "alternate") == "alternate" and isinstance(href, str):
            return href
    return None


def _entry_date(raw: Any) -> datetime | None:
    stamp = raw.get("published_parsed")
    if stamp is None and "updated_parsed" in raw:
        # Asked only when present: feedparser warns when it has to map one onto the other.
        stamp = raw.get("updated_parsed")
    if not isinstance(stamp, time.struct_time):
        return None
    try:
        return datetime(*stamp[:6], tzinfo=UTC)
    except (TypeError, ValueError, OverflowError):
        return None
