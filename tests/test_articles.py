"""Article extraction from fetched pages: main text and metadata, and clear refusals."""

from __future__ import annotations

from datetime import date
from xml.sax.saxutils import escape

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ingest.web.errors import ParseError, UnreadableArticle
from ingest.web.pages import ParsedArticle, parse_article
from tests.stub_server import StubServer, article_headline, article_html, article_paragraphs

URL = "https://news.example/europe/guarantees.html"


def html_page(paragraphs: list[str], *, head: str = "", title: str = "Guarantees") -> str:
    body = "".join(f"<p>{escape(p)}</p>" for p in paragraphs)
    return (
        f"<!DOCTYPE html><html lang='fr'><head><title>{title}</title>{head}</head>"
        f"<body><nav><a href='/'>Accueil</a></nav><article><h1>{title}</h1>{body}</article>"
        "<footer>Mentions légales</footer></body></html>"
    )


def test_reads_a_news_page() -> None:
    article = parse_article(
        article_html(7).encode(), content_type="text/html", charset="utf-8", url=URL
    )
    assert article.title == article_headline(7)
    assert article.outlet == "Stub Gazette"
    assert article.published == date(2025, 9, 3)
    assert article.language == "en"
    for paragraph in article_paragraphs(7):
        assert paragraph in article.text
    assert "All rights reserved" not in article.text
    assert "Privacy" not in article.text


def test_reads_a_republished_copy_as_the_other_outlet() -> None:
    article = parse_article(
        article_html(7, outlet="evening post").encode(),
        content_type="text/html",
        charset=None,
        url=URL,
    )
    assert article.outlet == "Evening Post"
    assert article_paragraphs(7)[0] in article.text


def test_plain_text_passes_through_with_its_headline() -> None:
    body = "Italy rules out troops for Ukraine\n\nMeloni said no Italian soldiers would go.\n"
    article = parse_article(body.encode(), content_type="text/plain", charset=None, url=URL)
    assert article.title == "Italy rules out troops for Ukraine"
    assert article.text == "Meloni said no Italian soldiers would go."


def test_plain_text_without_a_headline_keeps_every_line() -> None:
    body = "Key Points\n- France and the UK were open to troop deployments, officials said.\n"
    article = parse_article(body.encode(), content_type="text/plain", charset=None, url=URL)
    assert article.title is None
    assert article.text.startswith("Key Points")


def test_uses_the_declared_charset() -> None:
    text = "Le ministre français a déclaré que Paris était prêt à envoyer des troupes en Ukraine."
    page = html_page([text] * 4).encode("cp1252")
    article = parse_article(page, content_type="text/html", charset="windows-1252", url=URL)
    assert text in article.text
    assert article.language == "fr"


def test_falls_back_to_the_meta_charset() -> None:
    text = "Le ministre français a déclaré que Paris était prêt à envoyer des troupes en Ukraine."
    page = html_page([text] * 4, head='<meta charset="iso-8859-1">').encode("latin-1")
    article = parse_article(page, content_type="text/html", charset=None, url=URL)
    assert text in article.text


def test_a_stray_bad_byte_in_utf8_is_tolerated() -> None:
    text = "Warsaw was ready to send troops to Ukraine once a ceasefire is agreed, he said."
    page = html_page([text] * 6).encode() + b"\xff"
    assert text in parse_article(page, content_type="text/html", charset=None, url=URL).text


@pytest.mark.parametrize(
    ("body", "content_type", "charset", "reason"),
    [
        (b"", "text/html", None, "empty"),
        (b" \n\t", "text/plain", None, "empty"),
        (b"\x00\x01\x02\xff\xfe" * 400, "text/html", None, "binary"),
        (b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8, "text/html", "latin-1", "binary"),
        (b"GIF89a" + bytes(range(256)) * 8, "text/plain", None, "binary"),
        (b"<html><body><nav><a href='/'>Home</a></nav></body></html>", "text/html", None, "text"),
        (b"<html><head><title>Only a title</title></head></html>", "text/html", None, "text"),
        (b"Too short.", "text/plain", None, "text"),
        (b"%PDF-1.7 troops", "application/pdf", None, "application/pdf"),
    ],
)
def test_refuses_unreadable_pages(
    body: bytes, content_type: str, charset: str | None, reason: str
) -> None:
    with pytest.raises(UnreadableArticle, match=reason):
        parse_article(body, content_type=content_type, charset=charset, url=URL)


def test_never_fetches_what_the_page_refers_to(canary_server: StubServer) -> None:
    canary = canary_server.url("/embedded")
    page = html_page(
        ["France said it was ready to send troops to Ukraine after a ceasefire, officials said."]
        * 4,
        head=f'<link rel="stylesheet" href="{canary}.css"><script src="{canary}.js"></script>'
        f'<meta http-equiv="refresh" content="0; url={canary}">',
    ).replace("</article>", f'<img src="{canary}.png"><iframe src="{canary}"></iframe></article>')
    parse_article(page.encode(), content_type="text/html", charset="utf-8", url=canary)
    assert [r for r in canary_server.requests if r.path.startswith("/embedded")] == []


@settings(max_examples=200, deadline=None)
@given(
    st.binary(max_size=4096),
    st.sampled_from(["text/html", "text/plain", "application/xhtml+xml", "image/png"]),
    st.sampled_from([None, "utf-8", "latin-1", "utf-16", "no-such-charset"]),
)
def test_random_bytes_give_an_article_or_our_error(
    body: bytes, content_type: str, charset: str | None
) -> None:
    try:
        article = parse_article(body, content_type=content_type, charset=charset, url=URL)
    except ParseError:
        return
    assert isinstance(article, ParsedArticle)
    assert article.text


_words = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=200)


@settings(max_examples=200, deadline=None)
@given(st.lists(_words, max_size=12), _words, st.sampled_from(["utf-8", "utf-16", "latin-1"]))
def test_random_html_pages_give_an_article_or_our_error(
    paragraphs: list[str], title: str, encoding: str
) -> None:
    page = html_page(paragraphs, title=escape(title))
    body = page.encode(encoding, errors="replace")
    try:
        article = parse_article(body, content_type="text/html", charset=encoding, url=URL)
    except ParseError:
        return
    assert article.text.strip()
