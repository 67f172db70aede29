"""Turns a fetched page into article text and metadata (title, date, outlet, language).

HTML goes through trafilatura's extraction, which works on the string we hand it and never
downloads anything; plain text passes through.
"""

from __future__ import annotations

import codecs
import logging
import re
from dataclasses import dataclass
from datetime import date

import trafilatura

from ingest.web.errors import UnreadableArticle

logger = logging.getLogger("ingest.web.pages")

MAX_ARTICLE_BYTES = 10_000_000
MIN_WORDS = 5
HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
# A wrongly declared charset yields replacement characters; tolerate a stray few.
MAX_UNDECODABLE_SHARE = 0.01

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_:.-]+)""", re.I)
_HTML_LANG = re.compile(r"""<html[^>]*\slang\s*=\s*["']?([A-Za-z]{2,3})\b""", re.I)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class ParsedArticle:
    title: str | None
    text: str
    published: date | None
    outlet: str | None
    language: str | None


def parse_article(
    body: bytes, *, content_type: str, charset: str | None, url: str
) -> ParsedArticle:
    """Read the article in `body`; raises UnreadableArticle for binary, empty or textless pages."""
    if not body.strip():
        raise UnreadableArticle("The page is empty.")
    if len(body) > MAX_ARTICLE_BYTES:
        raise UnreadableArticle(f"The page is larger than {MAX_ARTICLE_BYTES:,} bytes.")
    media_type = content_type.split(";", 1)[0].strip().lower()
    is_html = media_type in HTML_TYPES
    if not is_html and media_type != "text/plain":
        raise UnreadableArticle(f"Pages of type {media_type or 'unknown'} cannot be read.")
    text = _decode(body, charset, is_html)
    article = _from_html(text, url) if is_html else _from_plain_text(text)
    if len(_WORD.findall(article.text)) < MIN_WORDS:
        raise UnreadableArticle("The page has no readable article text.")
    return article


def _decode(body: bytes, charset: str | None, is_html: bool) -> str:
    """Decode with the BOM, the declared charset, the page's meta charset, then UTF-8."""
    candidates: list[str] = []
    for bom, encoding in (
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if body.startswith(bom):
            candidates.append(encoding)
    if charset:
        candidates.append(charset)
    if is_html:
        match = _META_CHARSET.search(body[:4096])
        if match:
            candidates.append(match.group(1).decode("ascii"))
    candidates.append("utf-8")
    for name in candidates:
        try:
            codec = codecs.lookup(name)
        except LookupError:
            continue
        text = body.decode(codec.name, errors="replace")
        undecodable = text.count("\ufffd") / max(len(text), 1)
        if undecodable <= MAX_UNDECODABLE_SHARE:
            if len(_CONTROL.findall(text)) > MAX_UNDECODABLE_SHARE * len(text):
                raise UnreadableArticle("The page is binary data, not text.")
            return text
    raise UnreadableArticle("The page is binary data or in an unknown text encoding.")


def _from_html(html: str, url: str) -> ParsedArticle:
    try:
        document = trafilatura.bare_extraction(
            html, url=url, with_metadata=True, include_comments=False, include_tables=False
        )
    except Exception as exc:
        # Hostile markup must become a visible error on this source, not a crashed task.
        logger.warning("trafilatura failed on %s", url, exc_info=True)
        raise UnreadableArticle(f"The page could not be read ({type(exc).__name__}).") from exc
    if document is None or not getattr(document, "text", None):
        raise UnreadableArticle("The page has no readable article text.")
    language = getattr(document, "language", None) or _html_language(html)
    return ParsedArticle(
        title=(document.title or "").strip() or None,
        text=document.text.strip(),
        published=_iso_date(document.date),
        outlet=(document.sitename or "").strip() or None,
        language=language.lower() if language else None,
    )


def _html_language(html: str) -> str | None:
    match = _HTML_LANG.search(html[:4096])
    return match.group(1) if match else None


def _iso_date(value: str | None) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


def _from_plain_text(text: str) -> ParsedArticle:
    """Plain text: a short first line without a full stop is taken as the title."""
    text = text.replace("\r\n", "\n").strip()
    first_line, _, rest = text.partition("\n")
    first_line = first_line.strip()
    looks_like_title = (
        rest.strip() and 3 <= len(first_line.split()) <= 25 and not first_line.endswith(".")
    )
    if looks_like_title:
        return ParsedArticle(
            title=first_line, text=rest.strip(), published=None, outlet=None, language=None
        )
    return ParsedArticle(title=None, text=text, published=None, outlet=None, language=None)
