"""Pytest plugin: threaded stub HTTP servers on 127.0.0.1 serving feeds and news articles.

`stub_server` is on the test policy's allow-list (host 127.0.0.1); `canary_server` is
addressed as "localhost", which is not, so it must never receive a request.

Built-in paths (registered routes take precedence):
- /feeds/many.xml?n=50: RSS feed of n items linking to /articles/<i>.html
- /feeds/atom.xml: Atom feed with relative links to /articles/0.html ... /articles/4.html
- /feeds/malformed.xml: broken XML without entries
- /articles/<i>.html[?outlet=NAME]: a realistic news article, deterministic by index; with
  an outlet, the same wire story as republished (other chrome, headline, last paragraph cut)
- /huge: 8 MB of HTML without Content-Length; /huge-declared: claims 50 MB
- /slow?delay=S: answers after S seconds; /slow-body?delay=S: sends headers, then drips bytes;
  /slow-headers?delay=S: drips the status line and headers themselves, S seconds a byte
- /redirect/<n>: a chain of n+1 redirects ending at /articles/0.html
- /redirect-to?url=U: one redirect to U
- /binary: a PNG as application/octet-stream; /binary-as-html: NUL bytes labelled text/html
- /status/<code>[?retry_after=V]: that status, with a Retry-After header when given
"""

from __future__ import annotations

import contextlib
import random
import ssl
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit
from xml.sax.saxutils import escape

import pytest


@dataclass(frozen=True)
class RecordedRequest:
    method: str
    path: str
    query: str
    headers: dict[str, str]


@dataclass
class Route:
    """A canned response; `chunks` are written one by one, `chunk_delay` seconds apart."""

    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    content_type: str = "text/html; charset=utf-8"
    delay: float = 0.0
    chunks: tuple[bytes, ...] | None = None
    chunk_delay: float = 0.0
    etag: str | None = None
    last_modified: str | None = None


@dataclass
class Response:
    status: int
    headers: dict[str, str]
    chunks: tuple[bytes, ...]
    delay: float = 0.0
    chunk_delay: float = 0.0
    content_length: int | None = None
    # Seconds between the bytes of the status line and headers (a server dripping them).
    header_delay: float = 0.0


class StubServer:
    """One threaded HTTP server on 127.0.0.1 with an ephemeral port."""

    def __init__(self, public_host: str = "127.0.0.1", tls: ssl.SSLContext | None = None) -> None:
        self.public_host = public_host
        self.scheme = "https" if tls else "http"
        self.requests: list[RecordedRequest] = []
        self.tls_server_names: list[str | None] = []
        self._routes: dict[str, Route] = {}
        self._lock = threading.Lock()
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
        self._httpd.daemon_threads = True
        if tls is not None:
            tls.sni_callback = self._record_server_name
            self._httpd.socket = tls.wrap_socket(self._httpd.socket, server_side=True)
        self.port: int = self._httpd.server_address[1]
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()

    @property
    def base_url(self) -> str:
        return f"{self.scheme}://{self.public_host}:{self.port}"

    def url(self, path: str) -> str:
        return f"{self.base_url}{path}"

    def add(
        self,
        path: str,
        body: bytes | str = b"",
        *,
        status: int = 200,
        headers: dict[str, str] | None = None,
        content_type: str = "text/html; charset=utf-8",
        delay: float = 0.0,
        chunks: tuple[bytes, ...] | None = None,
        chunk_delay: float = 0.0,
        etag: str | None = None,
        last_modified: str | None = None,
    ) -> str:
        """Serve a canned response at `path` (without query); return its URL.

        With `etag` or `last_modified`, a matching conditional request gets a 304.
        """
        route = Route(
            status=status,
            body=body.encode() if isinstance(body, str) else body,
            headers=dict(headers or {}),
            content_type=content_type,
            delay=delay,
            chunks=chunks,
            chunk_delay=chunk_delay,
            etag=etag,
            last_modified=last_modified,
        )
        with self._lock:
            self._routes[path] = route
        return self.url(path)

    def requests_for(self, path: str) -> list[RecordedRequest]:
        with self._lock:
            return [request for request in self.requests if request.path == path]

    def _record_server_name(
        self, connection: ssl.SSLObject, server_name: str | None, context: ssl.SSLContext
    ) -> None:
        with self._lock:
            self.tls_server_names.append(server_name)

    def _record(self, request: RecordedRequest) -> None:
        with self._lock:
            self.requests.append(request)

    def _respond(self, request: RecordedRequest) -> Response:
        with self._lock:
            route = self._routes.get(request.path)
        if route is not None:
            return _route_response(route, request)
        return _builtin_response(self, request)


def _route_response(route: Route, request: RecordedRequest) -> Response:
    headers = {"Content-Type": route.content_type, **route.headers}
    if route.etag:
        headers["ETag"] = route.etag
    if route.last_modified:
        headers["Last-Modified"] = route.last_modified
    not_modified = (route.etag and request.headers.get("if-none-match") == route.etag) or (
        route.last_modified and request.headers.get("if-modified-since") == route.last_modified
    )
    if not_modified:
        return Response(304, headers, ())
    chunks = route.chunks if route.chunks is not None else (route.body,)
    length = None if route.chunks is not None else len(route.body)
    return Response(
        route.status, headers, chunks, route.delay, route.chunk_delay, content_length=length
    )


def _handler_for(server: StubServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:
            parts = urlsplit(self.path)
            request = RecordedRequest(
                method="GET",
                path=parts.path,
                query=parts.query,
                headers={name.lower(): value for name, value in self.headers.items()},
            )
            server._record(request)
            response = server._respond(request)
            # Clients hang up on purpose on oversized, slow or refused responses.
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                self._send(response)

        def _send(self, response: Response) -> None:
            time.sleep(response.delay)
            if response.header_delay:
                self._drip_headers(response)
                return
            self.send_response(response.status)
            for name, value in response.headers.items():
                self.send_header(name, value)
            if response.content_length is not None:
                self.send_header("Content-Length", str(response.content_length))
            self.send_header("Connection", "close")
            self.end_headers()
            self.wfile.flush()
            for index, chunk in enumerate(response.chunks):
                if index and response.chunk_delay:
                    time.sleep(response.chunk_delay)
                self.wfile.write(chunk)
                self.wfile.flush()

        def _drip_headers(self, response: Response) -> None:
            block = f"HTTP/1.1 {response.status} OK\r\n" + "".join(
                f"{name}: {value}\r\n" for name, value in response.headers.items()
            )
            for byte in (block + "Connection: close\r\n\r\n").encode():
                self.wfile.write(bytes([byte]))
                self.wfile.flush()
                time.sleep(response.header_delay)
            for chunk in response.chunks:
                self.wfile.write(chunk)

        def log_message(self, format: str, *args: object) -> None:
            """Keep test output quiet; requests are recorded on the server object instead."""

    return Handler


def _builtin_response(server: StubServer, request: RecordedRequest) -> Response:
    path = request.path
    query = {key: values[-1] for key, values in parse_qs(request.query).items()}
    html = "text/html; charset=utf-8"
    if path == "/feeds/many.xml":
        count = int(query.get("n", "50"))
        return _ok(many_articles_feed(server.base_url, count), "application/rss+xml")
    if path == "/feeds/atom.xml":
        return _ok(atom_feed(), "application/atom+xml")
    if path == "/feeds/malformed.xml":
        return _ok(b"<?xml version='1.0'?><rss><channel><title>Broken</titl", "application/rss+xml")
    if path.startswith("/articles/") and path.endswith(".html"):
        index = path.removeprefix("/articles/").removesuffix(".html")
        if index.isdigit():
            return _ok(article_html(int(index), outlet=query.get("outlet")).encode(), html)
    if path == "/huge":
        return Response(200, {"Content-Type": html}, (b"<p>" + b"x" * 65_536 + b"</p>",) * 128)
    if path == "/huge-declared":
        return Response(200, {"Content-Type": html}, (b"<p>tiny</p>",), content_length=50_000_000)
    if path == "/slow":
        body = article_html(0).encode()
        return Response(
            200,
            {"Content-Type": html},
            (body,),
            delay=float(query.get("delay", "3")),
            content_length=len(body),
        )
    if path == "/slow-headers":
        # Headers dripped a byte at a time; the Content-Type comes last.
        return Response(
            200,
            {"Server": "stub", "X-Padding": "p" * 40, "Content-Type": html},
            (b"<p>late</p>",),
            header_delay=float(query.get("delay", "0.1")),
        )
    if path == "/slow-body":
        delay = float(query.get("delay", "0.3"))
        return Response(200, {"Content-Type": html}, (b"<p>drip</p>",) * 50, chunk_delay=delay)
    if path.startswith("/redirect/") and path.removeprefix("/redirect/").isdigit():
        hops = int(path.removeprefix("/redirect/"))
        location = "/articles/0.html" if hops == 0 else f"/redirect/{hops - 1}"
        return Response(302, {"Location": location, "Content-Length": "0"}, ())
    if path == "/redirect-to":
        return Response(302, {"Location": query.get("url", "/"), "Content-Length": "0"}, ())
    if path == "/binary":
        png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4
        return _ok(png, "application/octet-stream")
    if path == "/binary-as-html":
        return _ok(b"\x00\x01\x02\xff\xfe" * 400, html)
    if path.startswith("/status/") and path.removeprefix("/status/").isdigit():
        headers = {"Content-Type": "text/plain"}
        if "retry_after" in query:
            headers["Retry-After"] = query["retry_after"]
        body = b"stub status"
        return Response(int(path.removeprefix("/status/")), headers, (body,), content_length=11)
    return Response(404, {"Content-Type": "text/plain"}, (b"not found",), content_length=9)


def _ok(body: bytes, content_type: str) -> Response:
    return Response(200, {"Content-Type": content_type}, (body,), content_length=len(body))


# name, capital, demonym, speaker's office, speaker's name
_NATIONS = (
    ("Poland", "Warsaw", "Polish", "defence minister", "Tomasz Kowalczyk"),
    ("France", "Paris", "French", "armed forces minister", "Claire Duval"),
    ("Italy", "Rome", "Italian", "prime minister", "Lucia Ferraro"),
    ("Germany", "Berlin", "German", "chancellor", "Markus Adler"),
    ("the Netherlands", "The Hague", "Dutch", "defence minister", "Pieter de Vries"),
    ("Sweden", "Stockholm", "Swedish", "prime minister", "Ingrid Lund"),
    ("Spain", "Madrid", "Spanish", "foreign minister", "Javier Ortega"),
    ("Canada", "Ottawa", "Canadian", "defence minister", "Sarah Whitfield"),
    ("Norway", "Oslo", "Norwegian", "prime minister", "Erik Solberg-Hansen"),
    ("Denmark", "Copenhagen", "Danish", "defence minister", "Mette Rasmussen"),
    ("Finland", "Helsinki", "Finnish", "president", "Aino Virtanen"),
    ("Japan", "Tokyo", "Japanese", "foreign minister", "Kenji Watanabe"),
    ("Belgium", "Brussels", "Belgian", "prime minister", "Luc Janssens"),
)

# Sentence shapes and word choices vary by index (through a seeded RNG) so that generated
# articles differ in wording, not only in names: near-duplicate detection must not merge them.
_PLEDGES = (
    "{nation}'s {office} {said} {capital} was {ready} to send troops to Ukraine once a "
    "ceasefire had been agreed, adding that {count} soldiers could be deployed {soon}.",
    "{demonym} {officials} ruled out sending ground troops but offered to train Ukrainian "
    "brigades on {demonym} soil, with {count} instructors already earmarked.",
    "{nation} will contribute air-defence batteries and {count} fighter jets to police "
    "Ukrainian skies, {speaker} {told} on {weekday}.",
    "{speaker} {said} {nation} would deploy forces only if the United States provided a "
    "backstop, a condition {capital} has {repeated} since the spring.",
    "{capital} pledged {count} million euros to finance Ukraine's defence budget next year, "
    "according to a statement from the {office}'s office.",
    "The {demonym} navy has offered {count} minehunters to clear the Black Sea shipping lanes, "
    "the {office} confirmed late on {weekday}.",
    "{nation} is considering whether to join a monitoring mission that would verify the "
    "ceasefire from outside Ukraine, {speaker} {said}, without giving a date.",
    "{demonym} {officials} {said} {capital} was {ready} to station up to {count} personnel in "
    "Romania and Poland as a backstop, while keeping them out of Ukraine itself.",
    "Asked about sanctions, {speaker} {said} {nation} would tighten restrictions on Russian "
    "oil shipments {soon}, in step with the European Union.",
)

_QUOTES = (
    '"We are {ready} to do our part, and we will not be the last to arrive," {speaker} {told}.',
    '"No {demonym} soldier will be sent to fight there, but we will help in every other way," '
    "the {office} {said}.",
    '"Security guarantees must be credible on land, at sea and in the air," {speaker} {said} '
    "after the talks on {weekday}.",
    '"Our commitment depends on what Washington decides," a senior {demonym} official {said} on '
    "condition of anonymity.",
    '"The time has not yet come to talk about numbers," {speaker} {told} in {capital}.',
)

_CONTEXT = (
    "Russia warned on {weekday} that any foreign troops stationed in Ukraine would be treated as "
    "legitimate targets, a threat that {officials} in {capital} dismissed.",
    "The meeting, the {ordinal} of its kind this year, brought together leaders of some {count} "
    "countries in person and by video link.",
    "Analysts cautioned that a lasting peace still looked distant, with fighting continuing "
    "along much of the front line near {town}.",
    "Ukraine's president thanked the allies for their support and called for details to be "
    "settled before the winter, when attacks on the power grid around {town} usually intensify.",
    "Diplomats {said} the text agreed in {capital} left the size of any force and its rules of "
    "engagement to be decided by defence chiefs at a later meeting.",
    "Markets in {capital} barely moved on the news, and bond yields were flat by {weekday} "
    "evening, traders {said}.",
    "The {ordinal} round of talks is expected in {town_month}, although no venue has been named.",
)

_WORDS = {
    "said": ("said", "told reporters", "announced", "stated", "confirmed"),
    "told": (
        "told reporters",
        "told parliament",
        "said in a television interview",
        "told a news conference",
        "wrote on social media",
    ),
    "ready": ("ready", "prepared", "willing", "in a position"),
    "soon": ("within weeks", "by the end of the year", "in the spring", "without delay"),
    "officials": ("officials", "government sources", "ministers", "diplomats"),
    "repeated": ("repeated", "insisted on", "stressed", "maintained"),
}
_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_ORDINALS = ("second", "third", "fourth", "fifth", "sixth", "seventh")
_TOWNS = ("Pokrovsk", "Zaporizhzhia", "Kharkiv", "Kherson", "Sumy", "Dnipro", "Odesa")
_MONTHS = ("October", "November", "December", "January", "February")


def _fill(template: str, rng: random.Random, nation: int) -> str:
    name, capital, demonym, office, speaker = _NATIONS[nation % len(_NATIONS)]
    words = {slot: rng.choice(choices) for slot, choices in _WORDS.items()}
    return template.format(
        nation=name,
        capital=capital,
        demonym=demonym,
        office=office,
        speaker=speaker,
        count=rng.randrange(40, 2000),
        weekday=rng.choice(_WEEKDAYS),
        ordinal=rng.choice(_ORDINALS),
        town=rng.choice(_TOWNS),
        town_month=f"{rng.choice(_TOWNS)} in {rng.choice(_MONTHS)}",
        **words,
    )


def article_date(index: int) -> datetime:
    # Every 1,000 articles the dates start again, so none is ever in the future: htmldate
    # rejects a future date and searches the whole page for another, a slow path that real
    # articles never take (parsing a page took 2.3 ms instead of 1.6).
    return datetime(2025, 9, 1, 8, 0, tzinfo=UTC) + timedelta(hours=7 * (index % 1000))


def article_headline(index: int) -> str:
    first = _NATIONS[index % len(_NATIONS)]
    second = _NATIONS[(index * 5 + 3) % len(_NATIONS)]
    return (
        f"{first[0].removeprefix('the ').capitalize()} and {second[0].removeprefix('the ')}"
        f" set out security guarantees for Ukraine (report {index})"
    )


def article_paragraphs(index: int) -> list[str]:
    """The body paragraphs of article `index`: dateline lead, pledges, quotes, context."""
    first = index % len(_NATIONS)
    second = (index * 5 + 3) % len(_NATIONS)
    if second == first:
        second = (first + 1) % len(_NATIONS)
    rng = random.Random(index)
    lead, pledge = rng.sample(_PLEDGES, 2)
    first_quote, second_quote = rng.sample(_QUOTES, 2)
    first_context, second_context = rng.sample(_CONTEXT, 2)
    published = article_date(index)
    dateline = f"{_NATIONS[first][1].upper()}, {published:%B} {published.day} (Stub Wire) - "
    return [
        dateline + _fill(lead, rng, first),
        _fill(first_context, rng, first),
        _fill(pledge, rng, second),
        _fill(first_quote, rng, second),
        _fill(second_context, rng, second),
        _fill(second_quote, rng, first),
    ]


def article_html(index: int, *, outlet: str | None = None) -> str:
    """A news page with navigation, a dateline, paragraphs and footer chrome.

    With `outlet`, the page is the same wire story as republished elsewhere: other site
    chrome and headline, and the last paragraph cut, as reprints usually are.
    """
    site = outlet.title() if outlet else "Stub Gazette"
    headline = article_headline(index)
    paragraphs = article_paragraphs(index)
    if outlet:
        headline = f"{headline} - as reported by {site}"
        paragraphs = paragraphs[:-1]
    published = article_date(index).isoformat()
    body = "\n".join(f"      <p>{escape(paragraph)}</p>" for paragraph in paragraphs)
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>{escape(headline)} | {escape(site)}</title>
  <meta property="og:site_name" content="{escape(site)}">
  <meta property="og:title" content="{escape(headline)}">
  <meta property="article:published_time" content="{published}">
</head>
<body>
  <header>
    <nav><a href="/">Home</a> <a href="/world">World</a> <a href="/europe">Europe</a></nav>
  </header>
  <main>
    <article>
      <h1>{escape(headline)}</h1>
      <p class="byline">By Stub Wire staff</p>
      <time datetime="{published}">{published}</time>
{body}
    </article>
  </main>
  <footer>
    <p>&copy; 2025 {escape(site)}. All rights reserved.</p><a href="/privacy">Privacy</a>
  </footer>
</body>
</html>
"""


def many_articles_feed(base_url: str, count: int) -> bytes:
    items = "\n".join(
        f"""    <item>
      <title>{escape(article_headline(index))}</title>
      <link>{base_url}/articles/{index}.html</link>
      <guid isPermaLink="false">stub-article-{index}</guid>
      <pubDate>{format_datetime(article_date(index))}</pubDate>
      <description>{escape(article_paragraphs(index)[0])}</description>
    </item>"""
        for index in range(count)
    )
    return f"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0">
  <channel>
    <title>Stub Gazette: Europe</title>
    <link>{base_url}/</link>
    <description>Generated news for tests</description>
{items}
  </channel>
</rss>
""".encode()


def atom_feed() -> bytes:
    entries = "\n".join(
        f"""  <entry>
    <title>{escape(article_headline(index))}</title>
    <link href="/articles/{index}.html"/>
    <id>urn:stub:atom:{index}</id>
    <updated>{article_date(index).isoformat()}</updated>
  </entry>"""
        for index in range(5)
    )
    return f"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title>Stub Gazette (Atom)</title>
  <id>urn:stub:atom</id>
  <updated>2025-09-05T08:00:00Z</updated>
{entries}
</feed>
""".encode()


@pytest.fixture(scope="session")
def stub_server() -> Iterator[StubServer]:
    """The allow-listed stub server; register routes with `add`, build URLs with `url`."""
    server = StubServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def canary_server() -> Iterator[StubServer]:
    """A server addressed as "localhost", off the allow-list: it must see no request."""
    server = StubServer(public_host="localhost")
    server.start()
    yield server
    server.stop()
