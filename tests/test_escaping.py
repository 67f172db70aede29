"""Text from the web is shown, never run: an article full of script tags, event handlers and
javascript: URLs goes through ingestion (a saved file, and a page fetched from a server),
review and acceptance, and no page that shows it renders any of that markup live."""

from __future__ import annotations

import io
from html.parser import HTMLParser

import pytest
from django.contrib.auth.models import Group, User
from django.core.management import call_command

from ingest.models import Article, Candidate, Feed
from pledges.models import Pledge, Quote, Source

HOSTILE = [
    "<script>alert('evidence')</script>",
    "<img src=x onerror=alert(1)>",
    '<a href="javascript:alert(2)">here</a>',
    '"><svg onload=alert(3)>',
    "<iframe src=javascript:alert(4)></iframe>",
]
ARTICLE_TEXT = "\n\n".join(
    [
        f"Coalition allies meet in Paris {HOSTILE[3]}",
        "Italian Prime Minister Giorgia Meloni said Italy would not send troops to Ukraine "
        f"{HOSTILE[0]}, ruling it out.",
        f'French President Emmanuel Macron said: "France is ready to send troops {HOSTILE[1]} '
        'after a ceasefire."',
        f"Germany pledged to be involved in the guarantees {HOSTILE[2]} {HOSTILE[4]}.",
    ]
)


def escaped(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


# Real tags in the page (a browser would run them; the parser must drop them) and the same
# markup as text (entities), which ends up verbatim in the stored article text.
ARTICLE_HTML = f"""<!doctype html>
<html><head>
<title>Allies &lt;script&gt;alert('title')&lt;/script&gt; pledge guarantees</title>
<meta property="og:site_name" content="Evil &lt;img src=x onerror=alert(5)&gt; News">
<script>alert('page script')</script>
</head><body onload="alert(6)">
<article>
<h1>Allies &lt;script&gt;alert('title')&lt;/script&gt; pledge guarantees</h1>
{"".join(f"<p>{escaped(paragraph)}</p>" for paragraph in ARTICLE_TEXT.split(chr(10) * 2))}
<p><img src=x onerror="alert(7)"><a href="javascript:alert(8)">Read more</a></p>
<script>document.write('<img src=x onerror=alert(9)>')</script>
</article>
</body></html>
"""


class LiveMarkup(HTMLParser):
    """Collects what a browser would run: scripts that are not ours, on* handlers, and
    javascript: addresses."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self.text: list[str] = []
        self.in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "script":
            self.in_script = True
            if not (values.get("src") or "").startswith(("/static/", "/admin/jsi18n/")):
                self.found.append(f"<script {attrs}>")
        if tag in {"iframe", "object", "embed", "base"}:
            self.found.append(f"<{tag}>")
        if tag == "img" and not (values.get("src") or "").startswith(("/static/", "data:")):
            self.found.append(f"<img {attrs}>")
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(f"{tag} {name}={value!r}")
            stripped = "".join((value or "").split()).lower()
            if name in {"href", "src", "action", "formaction", "data"} and stripped.startswith(
                ("javascript:", "data:text/html", "vbscript:")
            ):
                self.found.append(f"{tag} {name}={value!r}")

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self.in_script = False

    def handle_data(self, data: str) -> None:
        if self.in_script and data.strip():
            self.found.append(f"inline script {data[:60]!r}")
        self.text.append(data)


def parsed(html: str) -> LiveMarkup:
    parser = LiveMarkup()
    parser.feed(html)
    parser.close()
    return parser


def live_markup(html: str) -> list[str]:
    return parsed(html).found


def assert_shown_not_run(response, *, must_show: str | None = None) -> str:
    assert response.status_code == 200, response.status_code
    html = response.content.decode()
    page = parsed(html)
    assert page.found == [], response.request["PATH_INFO"]
    if must_show is not None:
        # The hostile text is on the page, as text a reader can read.
        assert must_show in "".join(page.text), response.request["PATH_INFO"]
    return html


@pytest.fixture
def editor_client(client, seeded):
    editor = User.objects.create_user("ed", password="a-long-editor-password", is_staff=True)
    editor.groups.add(Group.objects.get(name="Editors"))
    client.force_login(editor)
    return client


def test_the_checker_catches_live_markup():
    page = "".join(HOSTILE) + '<script src="/static/pledgewatch/app.js"></script>'
    assert len(live_markup(page)) >= 6
    assert live_markup(escaped("".join(HOSTILE))) == []


def test_saved_file_with_markup_is_shown_escaped_everywhere(editor_client, tmp_path):
    saved = tmp_path / "hostile.txt"
    saved.write_text(ARTICLE_TEXT)
    call_command("ingest_file", str(saved), stdout=io.StringIO())
    source = Source.objects.get(url="file:hostile.txt")
    assert HOSTILE[0] in source.text  # stored verbatim: escaping is the templates' job
    assert Candidate.objects.filter(source=source).count() == 3
    check_every_page(editor_client, source)


def test_fetched_page_with_markup_is_shown_escaped_everywhere(
    editor_client, stub_server, settings, django_capture_on_commit_callbacks
):
    settings.FETCH_ALLOWED_HOSTS = ["127.0.0.1"]
    url = stub_server.add("/hostile.html", ARTICLE_HTML)
    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post("/review/articles/new/", {"url": url})
    article = Article.objects.get()
    assert response.status_code == 302 and article.status == "done", article.error
    source = article.source
    assert "<script>alert('title')</script>" in source.title
    assert HOSTILE[1] in source.text and "alert('page script')" not in source.text
    assert_shown_not_run(editor_client.get(f"/review/articles/{article.pk}/"))
    assert_shown_not_run(
        editor_client.get(f"/review/articles/{article.pk}/", headers={"HX-Request": "true"})
    )
    assert_shown_not_run(editor_client.get("/review/articles/new/"))
    check_every_page(editor_client, source)


def check_every_page(client, source: Source) -> None:
    show = assert_shown_not_run
    show(client.get(f"/sources/{source.pk}/"))  # an editor's view: no text, nothing accepted yet
    show(client.get("/review/"), must_show=HOSTILE[1])

    # Accept every candidate (one with HTMX, the rest with plain forms), then read them back.
    first, *rest = Candidate.objects.filter(source=source)
    show(client.post(f"/review/candidates/{first.pk}/accept/", headers={"HX-Request": "true"}))
    for candidate in rest:
        client.post(f"/review/candidates/{candidate.pk}/accept/")
    show(client.get("/review/"))
    pledges = Pledge.objects.filter(sources=source).select_related("nation", "pledge_type")
    assert pledges.count() == 3
    assert any("<" in pledge.summary for pledge in pledges)
    show(client.get("/"))
    show(client.get("/", headers={"HX-Request": "true"}))
    show(client.get("/?q=script"))
    for pledge in pledges:
        cell = f"/cells/{pledge.nation.iso2}/{pledge.pledge_type.slug}/"
        show(client.get(cell))
        show(client.get(cell, headers={"HX-Request": "true"}))
        show(client.get(f"/nations/{pledge.nation.iso2}/"))
    show(client.get("/nations/FR/"), must_show=HOSTILE[1])
    macron = Quote.objects.get(source=source).leader
    show(client.get(f"/leaders/{macron.pk}/"), must_show=HOSTILE[1])
    show(client.get(f"/sources/{source.pk}/"), must_show=HOSTILE[1])
    csv = client.get("/matrix.csv").content.decode()
    assert "alert(1)" in csv  # the data is there, as data

    for path in [
        "pledges/source",
        "pledges/quote",
        "pledges/pledge",
        "ingest/candidate",
        "ingest/article",
        "pledges/condition",
    ]:
        show(client.get(f"/admin/{path}/"))
    show(client.get(f"/admin/pledges/source/{source.pk}/change/"))
    show(client.get(f"/admin/pledges/pledge/{pledges[0].pk}/change/"))
    show(client.get(f"/admin/pledges/pledge/{pledges[0].pk}/history/"))


def test_feed_titles_and_errors_with_markup_are_shown_escaped(editor_client):
    Feed.objects.create(
        url="https://news.example.org/feed.xml",
        title=HOSTILE[0] + " Evil feed",
        last_error="Not a feed: " + HOSTILE[1] + HOSTILE[2],
    )
    Feed.objects.create(url="https://other.example.org/rss", last_error=HOSTILE[4])
    assert_shown_not_run(editor_client.get("/review/feeds/"), must_show=HOSTILE[0])
    assert_shown_not_run(editor_client.get("/admin/ingest/feed/"))
    response = editor_client.post(
        "/review/feeds/", {"url": "javascript:alert(1)", "title": HOSTILE[1]}
    )
    assert response.status_code == 400
    assert live_markup(response.content.decode()) == []


def test_a_javascript_address_is_never_a_link(editor_client):
    source = Source.objects.create(
        url="javascript:alert(document.cookie)//", title=HOSTILE[2], outlet=HOSTILE[1], text="x"
    )
    html = assert_shown_not_run(editor_client.get(f"/sources/{source.pk}/"))
    assert "javascript:alert(document.cookie)//" in html  # shown as text, not as a link
    assert_shown_not_run(editor_client.get("/admin/pledges/source/"))
