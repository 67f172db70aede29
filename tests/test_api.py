"""The read-only JSON API (/api/v1/): each list's filters (the same FilterSets as the matrix
page and its CSV), pagination, ETags, 400 bodies, throttling, CORS, the schema and its docs,
query counts on a big data set, and that nothing the public pages hide leaks through it."""

from __future__ import annotations

import csv
import io
import re

import pytest
from django.contrib.auth.models import User
from django.core.cache import cache
from django.core.management import call_command
from django.test import Client

from ingest import services, tasks
from ingest.models import Candidate
from pledges.models import Bloc, Condition, Leader, Pledge, Quote, Source

LISTS = [
    "nations",
    "blocs",
    "leaders",
    "pledge-types",
    "pledges",
    "matrix",
    "conditions",
    "sources",
    "quotes",
]


@pytest.fixture(autouse=True)
def _fresh_throttle():
    """Throttle counts live in the cache: each test starts with none."""
    cache.clear()
    yield
    cache.clear()


def get(client: Client, path: str, params: dict | None = None, **headers):
    url = path if path.startswith("/") else f"/api/v1/{path}/"
    return client.get(url, params or {}, headers=headers)


def every_row(client: Client, name: str, params: dict | None = None) -> list[dict]:
    """All pages of a list, following `next`."""
    response = get(client, name, {**(params or {}), "page_size": 1000})
    assert response.status_code == 200, response.content
    rows = []
    while True:
        body = response.json()
        rows += body["results"]
        if not body["next"]:
            return rows
        response = client.get(body["next"])
        assert response.status_code == 200


def strings(value) -> list[str]:
    """Every string in a decoded JSON document (keys and values)."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for key, item in value.items() for s in [key, *strings(item)]]
    if isinstance(value, list):
        return [s for item in value for s in strings(item)]
    return []


@pytest.mark.usefixtures("seeded")
class TestLists:
    @pytest.mark.parametrize("name", LISTS)
    def test_every_list_answers_json_with_pages(self, client, name):
        response = get(client, name)
        assert response.status_code == 200
        assert response["Content-Type"] == "application/json"
        body = response.json()
        assert set(body) - {"as_of"} == {"count", "next", "previous", "results"}
        assert len(body["results"]) == min(body["count"], 100) > 0

    def test_nations_with_blocs(self, client):
        italy = next(n for n in every_row(client, "nations") if n["iso2"] == "IT")
        assert italy == {
            "iso2": "IT",
            "iso3": "ITA",
            "name": "Italy",
            "capital": italy["capital"],
            "blocs": sorted(italy["blocs"], key=italy["blocs"].index),
        }
        assert {"eu", "nato", "g7"} <= set(italy["blocs"])
        eu = {n["iso2"] for n in every_row(client, "nations", {"bloc": "eu"})}
        assert eu == set(Bloc.objects.get(slug="eu").nations.values_list("iso2", flat=True))
        assert [n["iso2"] for n in every_row(client, "nations", {"nation": ["IT", "FR"]})] == [
            "FR",
            "IT",
        ]
        assert [n["iso2"] for n in every_row(client, "nations", {"q": "ital"})] == ["IT"]

    def test_pledges_are_every_statement_with_their_evidence(self, client):
        rows = every_row(client, "pledges")
        assert len(rows) == Pledge.objects.count()
        for pledge in [
            Pledge.objects.filter(quotes__isnull=False).first(),
            Pledge.objects.filter(conditions__isnull=False).first(),
        ]:
            self.check_pledge(next(r for r in rows if r["id"] == pledge.pk), pledge)

    @staticmethod
    def check_pledge(row: dict, pledge: Pledge) -> None:
        assert row["nation"] == pledge.nation.iso2
        assert row["type"] == pledge.pledge_type.slug
        assert row["stance"] == pledge.stance and row["formality"] == pledge.formality
        assert row["announced_on"] == pledge.announced_on.isoformat()
        assert row["leader"] == pledge.leader_id and row["summary"] == pledge.summary
        assert set(row["conditions"]) == set(pledge.conditions.values_list("pk", flat=True))
        assert set(row["sources"]) == set(pledge.sources.values_list("pk", flat=True))
        assert set(row["quotes"]) == set(pledge.quotes.values_list("pk", flat=True))

    def test_pledge_filters(self, client):
        italy_troops = every_row(client, "pledges", {"nation": "IT", "type": "troops"})
        assert italy_troops and {(r["nation"], r["type"]) for r in italy_troops} == {
            ("IT", "troops")
        }
        declined = every_row(client, "pledges", {"stance": "declined"})
        assert declined and {r["stance"] for r in declined} == {"declined"}
        assert every_row(client, "pledges", {"as_of": "2000-01-01"}) == []
        meloni = every_row(client, "pledges", {"q": "Meloni"})
        assert meloni and {r["nation"] for r in meloni} == {"IT"}
        assert every_row(client, "pledges", {"changed_since": "2999-01-01"}) == []
        assert len(every_row(client, "pledges", {"changed_since": "2000-01-01"})) == (
            Pledge.objects.count()
        )
        formal = every_row(client, "pledges", {"formality": "statement"})
        assert {r["formality"] for r in formal} <= {"statement"}

    @pytest.mark.parametrize(
        "query",
        [
            {},
            {"nation": ["IT", "FR", "DE"]},
            {"bloc": "eu", "stance": ["committed", "open"]},
            {"type": "troops"},
            {"q": "ceasefire"},
            {"as_of": "2025-09-01"},
            {"formality": "statement", "as_of": "2025-12-31"},
        ],
    )
    def test_matrix_has_the_rows_of_the_csv(self, client, query):
        """One FilterSet for the page's CSV and the API: the same rows for the same query."""
        csv_rows = list(csv.DictReader(io.StringIO(client.get("/matrix.csv", query).text)))
        api_rows = every_row(client, "matrix", query)
        assert [(r["nation"], r["type"], r["stance"], r["announced_on"]) for r in api_rows] == [
            (r["nation_iso2"], r["pledge_type"], r["stance"], r["announced_on"]) for r in csv_rows
        ]
        assert [r["source_count"] for r in api_rows] == [int(r["source_count"]) for r in csv_rows]

    def test_lists_narrowed_by_the_pledges_they_support(self, client):
        italy = every_row(client, "sources", {"nation": "IT"})
        assert italy and {r["id"] for r in italy} == set(
            Source.objects.filter(pledges__nation__iso2="IT").values_list("pk", flat=True)
        )
        troops = every_row(client, "conditions", {"type": "troops"})
        assert {r["id"] for r in troops} == set(
            Pledge.conditions.through.objects.filter(
                pledge__pledge_type__slug="troops"
            ).values_list("condition_id", flat=True)
        )
        speaker = Quote.objects.exclude(nation=None).first().nation.iso2
        quotes = every_row(client, "quotes", {"nation": speaker})
        assert quotes and {r["nation"] for r in quotes} == {speaker}
        leaders = every_row(client, "leaders", {"nation": "IT"})
        assert leaders and {r["nation"] for r in leaders} == {"IT"}
        assert [t["slug"] for t in every_row(client, "pledge-types", {"type": "troops"})] == [
            "troops"
        ]
        assert {b["slug"] for b in every_row(client, "blocs", {"nation": "IT"})} >= {"eu"}

    def test_conditions_only_with_a_pledge_as_on_the_pages(self, client):
        Condition.objects.create(name="An editor's draft condition")
        names = {row["name"] for row in every_row(client, "conditions")}
        assert names == set(
            Condition.objects.filter(pledges__isnull=False).values_list("name", flat=True)
        )
        assert names and "An editor's draft condition" not in names

    def test_a_quote_names_its_leader_or_the_role_as_the_pages_do(self, client):
        leader = Leader.objects.first()
        quote = Quote.objects.create(
            text="Words of a known leader.",
            leader=leader,
            speaker_role="the role an article gave",
            source=Source.objects.first(),
        )
        row = next(r for r in every_row(client, "quotes") if r["id"] == quote.pk)
        assert row["leader"] == leader.pk and row["speaker_role"] == ""
        assert row["nation"] == leader.nation.iso2

    def test_sources_never_carry_their_text(self, client):
        for row in every_row(client, "sources"):
            assert set(row) == {"id", "url", "outlet", "title", "published_on"}


@pytest.mark.usefixtures("seeded")
class TestErrors:
    @pytest.mark.parametrize(
        ("path", "query", "parameter", "message"),
        [
            ("matrix", {"nation": "XX"}, "nation", "Unknown nation code: XX."),
            ("pledges", {"bloc": "nope"}, "bloc", "Unknown bloc: nope."),
            ("matrix", {"type": "nope"}, "type", "Unknown commitment type: nope."),
            ("pledges", {"stance": "maybe"}, "stance", "Unknown stance: maybe."),
            ("matrix", {"formality": "x"}, "formality", "Unknown formality: x."),
            ("matrix", {"as_of": "2025-13-01"}, "as_of", "Enter the date as YYYY-MM-DD."),
            ("pledges", {"as_of": "0001-01-01"}, "as_of", "Choose a date between 1900 and 2999."),
            ("quotes", {"q": "x" * 201}, "q", "at most 200 characters"),
            ("sources", {"q": "a\x00b"}, "q", "Null characters"),
            ("pledges", {"changed_since": "yesterday"}, "changed_since", "ISO 8601"),
            ("nations", {"stance": "open"}, "stance", "Unknown parameter"),
            ("matrix", {"changed_since": "2025-01-01"}, "changed_since", "Unknown parameter"),
            ("blocs", {"colour": "red"}, "colour", "Unknown parameter"),
            ("pledges", {"page": "0"}, "page", "whole number"),
            ("pledges", {"page": "x"}, "page", "whole number"),
            ("pledges", {"page": "999"}, "page", "No such page"),
            ("leaders", {"page_size": "5000"}, "page_size", "from 1 to 1000"),
            ("leaders", {"page_size": "-1"}, "page_size", "from 1 to 1000"),
        ],
    )
    def test_bad_parameter_is_a_400_naming_it(self, client, path, query, parameter, message):
        response = get(client, path, query)
        assert response.status_code == 400
        assert response["Content-Type"] == "application/json"
        body = response.json()
        assert list(body) == [parameter]
        assert message in " ".join(body[parameter])

    def test_writes_are_not_allowed(self, client):
        for name in LISTS:
            assert client.post(f"/api/v1/{name}/", {}).status_code == 405
            assert client.delete(f"/api/v1/{name}/").status_code == 405


@pytest.mark.usefixtures("big_matrix")
class TestPagination:
    def test_pages_in_a_stable_order_with_next_links(self, client):
        seen, pages = [], 0
        url = "/api/v1/pledges/?page_size=400"
        while url:
            body = client.get(url).json()
            assert body["count"] == 1500
            seen += [row["id"] for row in body["results"]]
            url, pages = body["next"], pages + 1
            if url:
                assert url.startswith("http://testserver/api/v1/pledges/?")
        assert pages == 4
        assert len(seen) == len(set(seen)) == 1500
        ordered = list(Pledge.objects.order_by("-announced_on", "-id").values_list("pk", flat=True))
        assert seen == ordered
        second = client.get("/api/v1/pledges/?page_size=400&page=2").json()
        assert second["previous"].endswith("page_size=400")
        assert [r["id"] for r in second["results"]] == ordered[400:800]

    def test_matrix_pages(self, client):
        rows = every_row(client, "matrix", {"as_of": "2024-02-15"})
        assert len(rows) == 500
        first = client.get("/api/v1/matrix/", {"as_of": "2024-02-15", "page_size": 7}).json()
        assert first["as_of"] == "2024-02-15"
        assert [r["id"] for r in first["results"]] == [r["id"] for r in rows[:7]]
        assert {r["announced_on"] for r in rows} == {"2024-01-31"}


@pytest.fixture
def demo_set(seeded):
    """The seed data and `generate_demo_data` at 3 %: 249 nations, 12 types, 3,000 statements
    with their sources, quotes and conditions."""
    call_command("generate_demo_data", scale=0.03, stdout=io.StringIO())


@pytest.mark.usefixtures("demo_set")
class TestQueryCounts:
    @pytest.mark.parametrize(
        ("name", "queries", "rows"),
        [
            ("nations", 4, 249),
            ("blocs", 3, 4),
            ("leaders", 3, 125),
            ("pledge-types", 3, 12),
            ("pledges", 6, 1000),
            ("matrix", 6, 1000),
            ("conditions", 3, 3),
            ("sources", 3, 1000),
            ("quotes", 3, 1000),
        ],
    )
    def test_query_counts_do_not_grow_with_the_rows(
        self, client, name, queries, rows, django_assert_max_num_queries
    ):
        """The version read, a count, the page, and one query per relation shown."""
        with django_assert_max_num_queries(queries):
            response = get(client, name, {"page_size": 1000})
        assert response.status_code == 200
        assert len(response.json()["results"]) >= rows
        with django_assert_max_num_queries(queries):
            response = get(client, name, {"page_size": 1000, "q": "1"})
        assert response.status_code == 200


@pytest.mark.usefixtures("seeded")
class TestETags:
    @pytest.mark.parametrize("name", LISTS)
    def test_repeat_request_is_a_304(self, client, name):
        first = get(client, name, {"page_size": 5})
        etag = first["ETag"]
        assert etag.startswith('"') and "no-cache" in first["Cache-Control"]
        again = get(client, name, {"page_size": 5}, if_none_match=etag)
        assert again.status_code == 304
        assert again["ETag"] == etag
        assert again.content == b""
        head = client.head(f"/api/v1/{name}/", {"page_size": 5}, headers={"if_none_match": etag})
        assert head.status_code == 304
        other = get(client, name, {"page_size": 5, "q": "no such words"}, if_none_match=etag)
        assert other.status_code == 200 and other["ETag"] != etag

    def test_data_version_changes_the_etag(self, client):
        first = get(client, "pledges")
        pledge = Pledge.objects.first()
        Pledge.objects.filter(pk=pledge.pk).update(summary="Changed by raw update")
        second = get(client, "pledges", if_none_match=first["ETag"])
        assert second.status_code == 200
        assert second["ETag"] != first["ETag"]
        assert "Changed by raw update" in second.text

    def test_304_reads_no_row(self, client, django_assert_max_num_queries):
        etag = get(client, "matrix")["ETag"]
        with django_assert_max_num_queries(1):
            assert get(client, "matrix", if_none_match=etag).status_code == 304

    def test_sources_and_quotes_etags_follow_their_content(self, client):
        first = get(client, "sources")
        Source.objects.filter(pk=first.json()["results"][0]["id"]).update(title="Retitled")
        second = get(client, "sources", if_none_match=first["ETag"])
        assert second.status_code == 200 and "Retitled" in second.text
        quotes = get(client, "quotes")
        Quote.objects.create(
            text="A new reviewed quote.",
            speaker_role="an official",
            source=Source.objects.first(),
        )
        assert get(client, "quotes", if_none_match=quotes["ETag"]).status_code == 200


@pytest.mark.usefixtures("seeded")
class TestThrottling:
    def test_anonymous_clients_are_limited_with_retry_after(self, client, settings):
        settings.API_ANON_RATE = "3/min"
        for _ in range(3):
            assert get(client, "blocs").status_code == 200
        limited = get(client, "blocs")
        assert limited.status_code == 429
        assert 0 < int(limited["Retry-After"]) <= 60
        assert "throttled" in limited.json()["detail"]
        # Per client: another address still gets through.
        assert client.get("/api/v1/blocs/", REMOTE_ADDR="192.0.2.7").status_code == 200

    def test_forwarded_for_is_not_trusted_without_proxies(self, client, settings):
        settings.API_ANON_RATE = "2/min"
        for n in range(2):
            get(client, "blocs", x_forwarded_for=f"198.51.100.{n}")
        assert get(client, "blocs", x_forwarded_for="198.51.100.9").status_code == 429

    def test_the_default_rate_is_generous(self, client, settings):
        assert settings.API_ANON_RATE == "120/min"
        for _ in range(20):
            assert get(client, "pledge-types").status_code == 200


@pytest.mark.usefixtures("seeded")
class TestCors:
    def test_any_origin_may_read(self, client):
        response = get(client, "matrix", origin="https://analyst.example.net")
        assert response.status_code == 200
        assert response["Access-Control-Allow-Origin"] == "*"
        assert "Access-Control-Allow-Credentials" not in response
        assert {"etag", "retry-after"} <= {
            h.strip().lower() for h in response["Access-Control-Expose-Headers"].split(",")
        }

    def test_preflight_allows_only_reads(self, client):
        response = client.options(
            "/api/v1/pledges/",
            headers={
                "origin": "https://analyst.example.net",
                "access-control-request-method": "GET",
            },
        )
        assert response.status_code == 200
        assert response["Access-Control-Allow-Origin"] == "*"
        methods = {m.strip() for m in response["Access-Control-Allow-Methods"].split(",")}
        assert methods == {"GET", "HEAD", "OPTIONS"}

    @pytest.mark.parametrize("path", ["/", "/matrix.csv", "/nations/IT/", "/healthz"])
    def test_no_cors_outside_the_api(self, client, path):
        response = client.get(path, headers={"origin": "https://analyst.example.net"})
        assert "Access-Control-Allow-Origin" not in response
        preflight = client.options(
            path,
            headers={
                "origin": "https://analyst.example.net",
                "access-control-request-method": "GET",
            },
        )
        assert "Access-Control-Allow-Origin" not in preflight


EXAMPLES = {
    "nation": "IT",
    "bloc": "eu",
    "type": "troops",
    "as_of": "2025-12-31",
    "changed_since": "2025-01-01T00:00:00Z",
    "q": "a",
    "page": "1",
    "page_size": "10",
}


@pytest.mark.usefixtures("seeded")
class TestSchema:
    def test_schema_validates_and_every_path_answers(self, client):
        from openapi_spec_validator import validate

        response = client.get("/api/v1/schema/", {"format": "json"})
        assert response.status_code == 200
        schema = response.json()
        validate(schema)
        assert schema["openapi"].startswith("3.")
        paths = schema["paths"]
        assert {f"/api/v1/{name}/" for name in LISTS} == set(paths)
        for path, operations in paths.items():
            assert set(operations) == {"get"}, path
            assert get(client, path).status_code == 200, path
            params = {}
            for parameter in operations["get"].get("parameters", []):
                assert parameter["in"] == "query", (path, parameter)
                name, shape = parameter["name"], parameter["schema"]
                enum = shape.get("enum") or shape.get("items", {}).get("enum")
                params[name] = enum[0] if enum else EXAMPLES[name]
            response = get(client, path, params)
            assert response.status_code == 200, (path, params, response.content)

    def test_schema_documents_the_filters(self, client):
        schema = client.get("/api/v1/schema/", {"format": "json"}).json()
        matrix = {p["name"]: p for p in schema["paths"]["/api/v1/matrix/"]["get"]["parameters"]}
        assert set(matrix) == {
            "nation", "bloc", "type", "stance", "formality", "formality_min", "freshness", "as_of",
            "q", "page", "page_size",
        }  # fmt: skip
        assert matrix["stance"]["schema"]["items"]["enum"] == sorted(
            ["committed", "open", "conditional", "declined"]
        )
        assert matrix["nation"]["schema"] == {"type": "array", "items": {"type": "string"}}
        assert "changed_since" in {
            p["name"] for p in schema["paths"]["/api/v1/pledges/"]["get"]["parameters"]
        }
        source = schema["components"]["schemas"]["Source"]["properties"]
        assert "text" not in source


class TestDocs:
    def test_docs_page_works_under_the_site_csp(self, client, settings):
        from django.contrib.staticfiles import finders

        response = client.get("/api/v1/docs/")
        assert response.status_code == 200
        html = response.text
        assert response["Content-Security-Policy"].startswith("default-src 'self'")
        assert "unsafe-inline" not in response["Content-Security-Policy"]
        # No inline script or style: every script has a src, styles are files.
        assert "<style" not in html and " style=" not in html
        scripts = re.findall(r"<script([^>]*)>(.*?)</script>", html, flags=re.S)
        assert len(scripts) == 3
        sources = []
        for attrs, body in scripts:
            assert body.strip() == ""
            sources.append(re.search(r'src="([^"]+)"', attrs).group(1).replace("&amp;", "&"))
        stylesheets = re.findall(r'<link rel="stylesheet" href="([^"]+)"', html)
        # Vendored files served from our own static files, no other host.
        for url in [*sources[:2], *stylesheets]:
            assert url.startswith(settings.STATIC_URL) or url.startswith("/" + settings.STATIC_URL)
            assert finders.find(url.split(settings.STATIC_URL, 1)[1])
        init = client.get(sources[2])
        assert init.status_code == 200
        assert init["Content-Type"].startswith("application/javascript")
        assert "/api/v1/schema/" in init.text
        # No validator badge, which would load an image from another site.
        assert '"validatorUrl": null' in init.text


@pytest.mark.usefixtures("seeded")
def test_nothing_hidden_leaks(client, stub_server, settings, django_capture_on_commit_callbacks):
    """An ingested article's pending candidates, unreviewed quotes and stored text, and the
    name of the editor who accepted one of its candidates, appear in no API response."""
    settings.FETCH_ALLOWED_HOSTS = ["127.0.0.1"]
    sources = []
    # Article 3 has candidates and no quote, article 7 an extracted quote no candidate cites.
    for url in ("/articles/3.html", "/articles/7.html"):
        with django_capture_on_commit_callbacks(execute=True):
            article = tasks.submit_article(stub_server.url(url))
        article.refresh_from_db()
        assert article.source is not None and article.source.text
        sources.append(article.source)
    pending = list(Candidate.objects.filter(source__in=sources, status="pending"))
    assert len(pending) >= 3
    zebulon = User.objects.create(username="zebulon-the-editor", is_staff=True)
    accepted = pending.pop(0)
    services.candidate_accept(accepted.pk, editor=zebulon)
    hidden_quotes = list(Quote.objects.filter(source__in=sources, reviewed=False))
    assert hidden_quotes
    # Public: what accepting made so (the pledge, whose summary is the evidence, and its
    # quote), and the sources' titles (a headline can be a candidate's evidence).
    public = [
        accepted.evidence,
        *(source.title for source in sources),
        *Quote.objects.filter(reviewed=True).values_list("text", flat=True),
    ]
    pending = [c for c in pending if not any(c.evidence.strip() in text for text in public)]
    assert pending

    everything = []
    for name in LISTS:
        for query in ({}, {"q": "a"}, {"nation": ["IT", "FR", "DE", "PL", "GB"]}):
            if "nation" in query and name == "pledge-types":
                continue  # a filter this list does not take
            everything += strings(every_row(client, name, query))
    everything += strings(client.get("/api/v1/schema/", {"format": "json"}).json())
    # A source is public, as on its page, once an editor accepted something from it.
    for source in sources:
        assert (source.url in everything) == (source == accepted.source)
    assert accepted.source.title in everything

    texts = "\n".join(everything)
    for candidate in pending:
        assert candidate.evidence not in texts
    for quote in hidden_quotes:
        assert quote.text not in texts
    for source in sources:
        for paragraph in source.text.split("\n"):
            if len(paragraph) > 40 and not any(text in paragraph for text in public):
                assert paragraph not in texts
        assert source.text not in texts
    assert "zebulon" not in texts
    assert accepted.quote_id is None or Quote.objects.get(pk=accepted.quote_id).reviewed


# Runs in every document before the page's own scripts (as in test_security_browser.py).
REPORT_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
  window.reportViolation(
    `${event.violatedDirective} blocked ${event.blockedURI || "inline"} ` +
    `at ${event.sourceFile}:${event.lineNumber}`
  );
});
"""


@pytest.mark.browser
def test_docs_run_in_chromium_under_the_csp(browser, transactional_db, live_server):
    """Swagger UI draws every endpoint and runs a request, and Chromium reports no CSP
    violation and no request to another host."""
    from playwright.sync_api import expect

    from pledges.seeding import seed_load

    seed_load()
    context = browser.new_context()
    context.set_default_timeout(60_000)
    found, elsewhere = [], []
    context.expose_function("reportViolation", lambda text: found.append(text))
    context.add_init_script(REPORT_VIOLATIONS)
    context.on(
        "console",
        lambda m: found.append(m.text) if "Content Security Policy" in m.text else None,
    )
    context.on(
        "request",
        lambda r: None if r.url.startswith(live_server.url) else elsewhere.append(r.url),
    )
    try:
        page = context.new_page()
        response = page.goto(live_server.url + "/api/v1/docs/")
        assert "'unsafe-inline'" not in response.headers["content-security-policy"]
        operations = page.locator(".opblock-get")
        expect(operations).to_have_count(len(LISTS))
        page.locator("#operations-data-matrix_list .opblock-summary").click()
        page.locator("#operations-data-matrix_list .try-out__btn").click()
        page.locator("#operations-data-matrix_list .execute").click()
        expect(page.locator("#operations-data-matrix_list .live-responses-table")).to_contain_text(
            "200"
        )
        page.screenshot(path="test-artifacts/api-docs.png", full_page=False)
    finally:
        context.close()
    assert not found, "Content Security Policy violations:\n" + "\n".join(found)
    assert not elsewhere, elsewhere


API_PARAMS = [
    "nation", "bloc", "type", "stance", "formality", "as_of", "q", "changed_since", "page",
    "page_size",
]  # fmt: skip


@pytest.mark.usefixtures("seeded")
@pytest.mark.parametrize("name", API_PARAMS)
def test_every_special_value_in_every_parameter_is_a_200_or_400(client, settings, name):
    """The fuzz tests' nasty values (NULs, huge strings, impossible dates, lookalike codes)
    in every parameter of every list: never a 500."""
    from .test_fuzz_params import SPECIAL, query

    settings.API_ANON_RATE = "100000/min"
    for value in SPECIAL:
        for path in LISTS:
            response = client.get(f"/api/v1/{path}/?{query([(name, value)])}")
            assert response.status_code in {200, 400}, (path, name, value[:40])
            if response.status_code == 400:
                assert list(response.json()) == [name], (path, name, value[:40])


@pytest.mark.usefixtures("seeded")
def test_hostile_queries_are_a_200_or_400(client, settings):
    from hypothesis import HealthCheck, given
    from hypothesis import settings as hypothesis_settings

    from .test_fuzz_params import params, query

    settings.API_ANON_RATE = "100000/min"

    @hypothesis_settings(
        max_examples=60,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
        database=None,
    )
    @given(pairs=params)
    def check(pairs):
        for path in ("matrix", "pledges", "quotes"):
            response = client.get(f"/api/v1/{path}/?{query(pairs)}")
            assert response.status_code in {200, 400}, (path, pairs)

    check()
