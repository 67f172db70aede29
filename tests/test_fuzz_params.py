"""Hostile query parameters, path segments and form posts (random text, unicode, NULs,
huge strings, repeated parameters, impossible dates, broken percent-encoding) on every
readers' page and every editors' page: each answer is a clear 2xx/3xx/4xx, never a 500."""

from __future__ import annotations

import io
from collections import Counter
from urllib.parse import quote

import pytest
from django.contrib.auth.models import Group, User
from django.core.management import call_command
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ingest.models import Article, Candidate
from pledges.models import Leader, Source

EXAMPLES = 150
TRIED: Counter[str] = Counter()

SPECIAL = [
    "",
    " ",
    "\x00",
    "IT\x00",
    "%00",
    "-1",
    "0",
    "9" * 40,
    "1e309",
    "NaN",
    "0000-00-00",
    "0001-01-01",
    "9999-12-31",
    "2025-02-30",
    "2025-13-01",
    "-2025-01-01",
    "2025-9-4",
    "10000-01-01",
    "2025-09-04T25:61",
    "' OR 1=1 --",
    '"><script>alert(1)</script>',
    "../../etc/passwd",
    "IT,FR",
    "it",
    "İT",
    "\u202eTI",
    "ｉｔ",
    "\ud7ff\ue000\uffff",
    "🇮🇹",
    "x" * 5_000,
    "y" * 200_001,
]

values = st.one_of(
    st.sampled_from(SPECIAL),
    st.text(max_size=40),
    st.text(alphabet=st.characters(min_codepoint=0, max_codepoint=0x2FF), max_size=300),
    st.integers().map(str),
    st.dates().map(lambda day: day.isoformat()),
    st.from_regex(r"\A[A-Za-z]{0,3}\Z"),
)

# The real parameter names, a few lookalikes, and anything else.
MATRIX_PARAMS = ["nation", "bloc", "type", "stance", "as_of", "q"]
names = st.one_of(
    st.sampled_from([*MATRIX_PARAMS, "page", "as_of[]", "nation__in", "Q", "format"]),
    st.text(min_size=1, max_size=10),
)
params = st.lists(st.tuples(names, values), max_size=8)
RAW_QUERIES = st.sampled_from(
    ["%ff%fe", "as_of=%ff", "q=%", "nation=%zz", "&&&", "=", "q=%00", "nation=%C0%80", ";;q=1"]
)


def query(pairs: list[tuple[str, str]]) -> str:
    return "&".join(f"{quote(name, safe='')}={quote(value, safe='')}" for name, value in pairs)


def segment(value: str) -> str:
    return quote(value, safe="") or "x"


@pytest.fixture
def world(seeded) -> dict:
    call_command("ingest_file", "seeds/000_ac9b6a256edaf299.txt", stdout=io.StringIO())
    Article.objects.create(url="https://news.example.org/a", status="done")
    editor = User.objects.create_user("ed", password="a-long-editor-password", is_staff=True)
    editor.groups.add(Group.objects.get(name="Editors"))
    editor_client = Client()
    editor_client.force_login(editor)
    return {
        "editor": editor_client,
        "reader": Client(),
        "leader": Leader.objects.first().pk,
        "source": Source.objects.first().pk,
        "article": Article.objects.first().pk,
        "candidates": list(Candidate.objects.values_list("pk", flat=True)),
    }


def answer(client: Client, method: str, path: str, **kwargs) -> int:
    response = getattr(client, method)(path, **kwargs)
    TRIED[f"{method.upper()} {response.status_code}"] += 1
    return response.status_code


FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    database=None,
)
READ_ANSWERS = {200, 400, 404}


# The matrix and the map redirect an address with empty parameters to one without: followed.
READER_PAGES = ["/", "/map/", "/matrix.csv", "/cells/IT/troops/", "/nations/IT/"]


@pytest.mark.parametrize("name", MATRIX_PARAMS)
def test_every_special_value_in_every_parameter(world, name):
    """The known-nasty values, each in each parameter, as well as whatever hypothesis picks."""
    for value in SPECIAL:
        for path in READER_PAGES:
            url = f"{path}?{query([(name, value)])}"
            status = answer(world["reader"], "get", url, follow=True)
            assert status in READ_ANSWERS, (path, name, value[:40], status)
    for path in ["/cells/IT\x00/troops/", "/nations/IT%00/", "/nations/%C3%9F/", "/leaders/%00/"]:
        assert answer(world["reader"], "get", path) == 404, path


@FUZZ
@given(pairs=params, raw=st.one_of(st.none(), RAW_QUERIES), htmx=st.booleans())
def test_readers_pages_answer_bad_parameters_with_4xx(world, pairs, raw, htmx):
    qs = raw if raw is not None else query(pairs)
    headers = {"HX-Request": "true"} if htmx else {}
    for path in [
        *READER_PAGES,
        f"/leaders/{world['leader']}/",
        f"/sources/{world['source']}/",
    ]:
        status = answer(world["reader"], "get", f"{path}?{qs}", headers=headers, follow=True)
        assert status in READ_ANSWERS, (path, qs, status)


@FUZZ
@given(iso2=values, slug=values, number=st.one_of(values, st.integers().map(str)))
def test_readers_pages_answer_bad_path_segments_with_404(world, iso2, slug, number):
    for path in [
        f"/cells/{segment(iso2)}/{segment(slug)}/",
        f"/cells/IT/{segment(slug)}/",
        f"/nations/{segment(iso2)}/",
        f"/leaders/{segment(number)}/",
        f"/sources/{segment(number)}/",
    ]:
        status = answer(world["reader"], "get", path)
        assert status in READ_ANSWERS, (path, status)


@FUZZ
@given(pairs=params, number=st.integers(), htmx=st.booleans())
def test_editors_pages_answer_bad_parameters_with_4xx(world, pairs, number, htmx):
    headers = {"HX-Request": "true"} if htmx else {}
    qs = query(pairs)
    for path in [
        "/review/",
        "/review/feeds/",
        "/review/articles/new/",
        f"/review/articles/{world['article']}/",
        f"/review/articles/{abs(number)}/",
    ]:
        status = answer(world["editor"], "get", f"{path}?{qs}", headers=headers)
        assert status in READ_ANSWERS, (path, qs, status)


CORRECTION_FIELDS = [
    "nation",
    "pledge_type",
    "stance",
    "formality",
    "conditions",
    "announced_on",
    "set_conditions",
]
form_names = st.one_of(
    st.sampled_from([*CORRECTION_FIELDS, "url", "title", "decision", "candidate"]),
    st.text(min_size=1, max_size=10),
)
form_data = st.lists(st.tuples(form_names, values), max_size=8)


def as_post(pairs: list[tuple[str, str]]) -> dict[str, list[str]]:
    data: dict[str, list[str]] = {}
    for name, value in pairs:
        data.setdefault(name, []).append(value)
    return data


@FUZZ
@given(
    pairs=form_data,
    decision=st.one_of(st.sampled_from(["accept", "reject"]), values),
    pick=st.integers(min_value=0),
    htmx=st.booleans(),
)
def test_editors_forms_answer_bad_posts_without_500(world, pairs, decision, pick, htmx):
    data = as_post(pairs)
    headers = {"HX-Request": "true"} if htmx else {}
    candidate = world["candidates"][pick % len(world["candidates"])]
    allowed = {200, 302, 400, 404, 409}
    for path in [
        f"/review/candidates/{candidate}/{segment(decision)}/",
        "/review/bulk/",
        "/review/feeds/",
        "/review/articles/new/",
    ]:
        status = answer(world["editor"], "post", path, data=data, headers=headers)
        assert status in allowed, (path, data, status)


def test_report_how_many_hostile_requests_were_made():
    """Prints the tally (run with -s); the fuzz tests above fill it."""
    print(f"\nhostile requests by answer: {dict(sorted(TRIED.items()))}")
    if TRIED:
        assert not any(key.endswith(" 500") for key in TRIED)
