"""Every URL the project answers, for an anonymous reader, a logged-in reader who is not an
editor, and an editor: GET and POST. A URL pattern without a row here fails the suite, so a
new page cannot ship without someone deciding who may use it.

Readers can only read: their POSTs change nothing. Editors change data only by POST (CSRF
is tested in test_security.py; this table uses a client that skips the token).
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pytest
from axes.models import AccessAttempt, AccessFailureLog
from django.apps import apps
from django.contrib.auth.models import Group, User
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from ingest.models import Article, Candidate, Feed
from pledges.models import Leader, Nation, Source

OK, FORBIDDEN, NOT_FOUND, NOT_ALLOWED = 200, 403, 404, 405
LOGIN = "login"  # 302 to the admin log-in page
ADMIN_HOME = "admin-home"  # 302 to the admin index
REDIRECT = "redirect"  # 302 elsewhere: the editor's POST did its work and moved on


@dataclass(frozen=True)
class Expect:
    """(GET, POST) answers for each kind of user."""

    anonymous: tuple[object, object]
    reader: tuple[object, object]
    editor: tuple[object, object]


@dataclass(frozen=True)
class Row:
    path: Callable[[dict], str]
    expect: Expect


PUBLIC = Expect((OK, NOT_ALLOWED), (OK, NOT_ALLOWED), (OK, NOT_ALLOWED))
# Editors' pages: anonymous readers are sent to log in, logged-in readers are refused.
# An empty POST re-shows the form with its errors, as a 400.
EDITOR_PAGE = Expect((LOGIN, LOGIN), (FORBIDDEN, FORBIDDEN), (OK, 400))
EDITOR_POST = Expect((NOT_ALLOWED, LOGIN), (NOT_ALLOWED, FORBIDDEN), (NOT_ALLOWED, REDIRECT))
EDITOR_READ = Expect((LOGIN, NOT_ALLOWED), (FORBIDDEN, NOT_ALLOWED), (OK, NOT_ALLOWED))
# The admin sends anyone who is not staff to its log-in page, whatever the URL.
ADMIN_ONLY = (LOGIN, LOGIN)


def admin(editor_get: object, editor_post: object) -> Expect:
    return Expect(ADMIN_ONLY, ADMIN_ONLY, (editor_get, editor_post))


# What an editor may do with each model in the admin (the Editors group's permissions):
# every action on curated data; candidates are decided, not added or deleted; articles are
# never deleted; users, groups and log-in records are for superusers only.
EVERYTHING = {"changelist", "add", "change", "delete", "history"}
ADMIN_MODELS: dict[str, set[str]] = {
    "pledges.bloc": EVERYTHING,
    "pledges.nation": EVERYTHING,
    "pledges.leader": EVERYTHING,
    "pledges.pledgetype": EVERYTHING,
    "pledges.condition": EVERYTHING,
    "pledges.source": EVERYTHING,
    "pledges.quote": EVERYTHING,
    "pledges.pledge": EVERYTHING,
    "ingest.feed": EVERYTHING,
    "ingest.article": EVERYTHING - {"delete"},
    "ingest.candidate": EVERYTHING - {"add", "delete"},
    "auth.user": set(),
    "auth.group": set(),
    "axes.accessattempt": set(),
    "axes.accesslog": set(),
    "axes.accessfailurelog": set(),
}


def admin_model_rows(label: str, allowed: set[str]) -> Iterator[tuple[str, Row]]:
    app, model = label.split(".")
    base = f"/admin/{app}/{model}/"

    def obj(ids: dict) -> str:
        return str(ids[label])

    def answer(view: str) -> Expect:
        # A refused GET or POST is a 403; an allowed empty POST re-shows the form with errors
        # (or the delete confirmation), so nothing changes.
        return admin(OK, OK) if view in allowed else admin(FORBIDDEN, FORBIDDEN)

    yield f"admin:{app}_{model}_changelist", Row(lambda ids: base, answer("changelist"))
    yield f"admin:{app}_{model}_add", Row(lambda ids: base + "add/", answer("add"))
    yield (
        f"admin:{app}_{model}_change",
        Row(lambda ids: f"{base}{obj(ids)}/change/", answer("change")),
    )
    yield (
        f"admin:{app}_{model}_delete",
        Row(lambda ids: f"{base}{obj(ids)}/delete/", answer("delete")),
    )
    yield (
        f"admin:{app}_{model}_history",
        Row(lambda ids: f"{base}{obj(ids)}/history/", answer("history")),
    )
    # The old-style object URL only redirects to the change page.
    yield (
        f"admin/{app}/{model}/<path:object_id>/",
        Row(lambda ids: f"{base}{obj(ids)}/", admin(REDIRECT, REDIRECT)),
    )
    if hasattr(apps.get_model(label), "history"):
        # One historical version, with a "revert" form; an empty POST reverts nothing.
        yield (
            f"admin:{app}_{model}_simple_history",
            Row(
                lambda ids: f"{base}{obj(ids)}/history/{ids['history:' + label]}/",
                admin(OK, OK) if "change" in allowed else admin(FORBIDDEN, FORBIDDEN),
            ),
        )


URLS: dict[str, Row] = {
    # Readers' pages: anyone may read, nobody may post.
    "pledges:matrix": Row(lambda ids: "/", PUBLIC),
    "pledges:matrix_csv": Row(lambda ids: "/matrix.csv", PUBLIC),
    "pledges:map": Row(lambda ids: "/map/?type=troops", PUBLIC),
    "pledges:changes": Row(lambda ids: "/changes/", PUBLIC),
    "pledges:changes_feed": Row(lambda ids: "/changes/feed.atom", PUBLIC),
    "pledges:changes_json": Row(lambda ids: "/changes.json", PUBLIC),
    "pledges:methodology": Row(lambda ids: "/methodology/", PUBLIC),
    "pledges:data": Row(lambda ids: "/data/", PUBLIC),
    "pledges:data_index": Row(lambda ids: "/data/index.json", PUBLIC),
    # A name no release holds: a 404 for everyone, whatever releases exist locally.
    "pledges:data_file": Row(
        lambda ids: "/data/latest/unknown.csv", Expect(*[(NOT_FOUND, NOT_ALLOWED)] * 3)
    ),
    "pledges:cell": Row(lambda ids: "/cells/IT/troops/", PUBLIC),
    "pledges:nation": Row(lambda ids: "/nations/IT/", PUBLIC),
    "pledges:leader": Row(lambda ids: f"/leaders/{ids['leader']}/", PUBLIC),
    "pledges:source": Row(lambda ids: f"/sources/{ids['source']}/", PUBLIC),
    "healthz": Row(lambda ids: "/healthz", PUBLIC),
    # The read-only JSON API and its schema and docs (tests/test_api.py).
    "api:nations": Row(lambda ids: "/api/v1/nations/", PUBLIC),
    "api:blocs": Row(lambda ids: "/api/v1/blocs/", PUBLIC),
    "api:leaders": Row(lambda ids: "/api/v1/leaders/", PUBLIC),
    "api:pledge_types": Row(lambda ids: "/api/v1/pledge-types/", PUBLIC),
    "api:pledges": Row(lambda ids: "/api/v1/pledges/", PUBLIC),
    "api:matrix": Row(lambda ids: "/api/v1/matrix/", PUBLIC),
    "api:conditions": Row(lambda ids: "/api/v1/conditions/", PUBLIC),
    "api:sources": Row(lambda ids: "/api/v1/sources/", PUBLIC),
    "api:quotes": Row(lambda ids: "/api/v1/quotes/", PUBLIC),
    "api:schema": Row(lambda ids: "/api/v1/schema/", PUBLIC),
    "api:docs": Row(lambda ids: "/api/v1/docs/", PUBLIC),
    # Editors' review pages.
    "ingest:review": Row(lambda ids: "/review/", EDITOR_READ),
    "ingest:decide": Row(lambda ids: f"/review/candidates/{ids['candidate']}/reject/", EDITOR_POST),
    "ingest:bulk": Row(lambda ids: "/review/bulk/", EDITOR_POST),
    "ingest:submit": Row(lambda ids: "/review/articles/new/", EDITOR_PAGE),
    "ingest:article": Row(lambda ids: f"/review/articles/{ids['article']}/", EDITOR_READ),
    "ingest:feeds": Row(lambda ids: "/review/feeds/", EDITOR_PAGE),
    # The admin's own pages.
    "admin:index": Row(lambda ids: "/admin/", admin(OK, OK)),
    "admin:login": Row(
        lambda ids: "/admin/login/",
        # An empty log-in form is re-shown with its errors; an editor who is already logged
        # in is sent on to the index.
        Expect((OK, OK), (OK, OK), (ADMIN_HOME, OK)),
    ),
    "admin:logout": Row(
        lambda ids: "/admin/logout/",
        Expect((ADMIN_HOME, ADMIN_HOME), (ADMIN_HOME, ADMIN_HOME), (NOT_ALLOWED, OK)),
    ),
    "admin:password_change": Row(lambda ids: "/admin/password_change/", admin(OK, OK)),
    "admin:password_change_done": Row(
        lambda ids: "/admin/password_change/done/", admin(OK, NOT_ALLOWED)
    ),
    "admin:autocomplete": Row(
        lambda ids: "/admin/autocomplete/?app_label=pledges&model_name=pledge&field_name=nation",
        admin(OK, NOT_ALLOWED),
    ),
    "admin:jsi18n": Row(lambda ids: "/admin/jsi18n/", admin(OK, NOT_ALLOWED)),
    "admin:view_on_site": Row(
        lambda ids: f"/admin/r/{ids['nation_type']}/{ids['nation']}/", admin(REDIRECT, REDIRECT)
    ),
    "admin:app_list": Row(lambda ids: "/admin/pledges/", admin(OK, OK)),
    "admin:auth_user_password_change": Row(
        lambda ids: f"/admin/auth/user/{ids['auth.user']}/password/", admin(FORBIDDEN, FORBIDDEN)
    ),
    "admin/(?P<url>.*)$": Row(lambda ids: "/admin/no-such-page/", admin(NOT_FOUND, NOT_FOUND)),
}
for _label, _allowed in ADMIN_MODELS.items():
    URLS.update(admin_model_rows(_label, _allowed))

# Served by WhiteNoise before URL resolution, so not a pattern, but answered all the same.
STATIC = Row(lambda ids: "/static/pledgewatch/app.css", PUBLIC)


def url_patterns(patterns=None, prefix: str = "", namespace: str = "") -> Iterator[str]:
    """A key for every URL pattern: its full name, or its route when it has none."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            inner = namespace
            if pattern.namespace:
                inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            yield from url_patterns(pattern.url_patterns, prefix + str(pattern.pattern), inner)
        elif isinstance(pattern, URLPattern):
            if pattern.name:
                yield f"{namespace}:{pattern.name}" if namespace else pattern.name
            else:
                yield prefix + str(pattern.pattern)


def test_every_url_pattern_has_a_row():
    patterns = set(url_patterns())
    missing = sorted(patterns - set(URLS))
    assert not missing, (
        "URL patterns with no row in tests/test_url_permissions.py (decide who may use them):\n"
        + "\n".join(missing)
    )
    stale = sorted(set(URLS) - patterns)
    assert not stale, f"rows for URLs that no longer exist: {stale}"


@pytest.fixture
def ids(seeded, settings) -> dict:
    # Production serves collected files; the tests serve the same files from static/.
    settings.WHITENOISE_USE_FINDERS = True
    call_command("ingest_file", "seeds/000_ac9b6a256edaf299.txt", stdout=io.StringIO())
    editor = User.objects.create_user("ed", password="a-long-editor-password", is_staff=True)
    editor.groups.add(Group.objects.get(name="Editors"))
    User.objects.create_user("reader", password="another-long-password")
    Client().post("/admin/login/", {"username": "someone", "password": "wrong"})
    Client().post("/admin/login/", {"username": "ed", "password": "a-long-editor-password"})
    AccessFailureLog.objects.create(username="someone", user_agent="x", path_info="/admin/login/")
    feed = Feed.objects.create(url="https://news.example.org/feed.xml", title="News")
    article = Article.objects.create(url="https://news.example.org/a", status="done")
    found = {
        "leader": Leader.objects.get(name="Giorgia Meloni").pk,
        "source": Source.objects.first().pk,
        "candidate": Candidate.objects.first().pk,
        "article": article.pk,
        "nation": Nation.objects.get(iso2="IT").pk,
        "nation_type": ContentType.objects.get_for_model(Nation).pk,
        "auth.user": editor.pk,
        "ingest.feed": feed.pk,
        "ingest.article": article.pk,
        "axes.accessattempt": AccessAttempt.objects.first().pk,
    }
    for label in ADMIN_MODELS:
        model = apps.get_model(label)
        first = model.objects.order_by("pk").first()
        # The admin checks permissions before it looks the object up.
        found.setdefault(label, first.pk if first else 1)
        if hasattr(model, "history"):
            found["history:" + label] = model.history.filter(id=found[label]).first().history_id
    return found


def client_for(kind: str) -> Client:
    client = Client()
    if kind != "anonymous":
        client.force_login(User.objects.get(username="ed" if kind == "editor" else "reader"))
    return client


def outcome(response) -> object:
    if response.status_code != 302:
        return response.status_code
    location = response["Location"]
    if location.startswith("/admin/login/"):
        return LOGIN
    if location == "/admin/":
        return ADMIN_HOME
    return REDIRECT


def snapshot() -> dict[str, object]:
    """Everything a reader might try to change: row counts of every model and every
    candidate's status."""
    counts = {
        model._meta.label: model.objects.count()
        for model in apps.get_models()
        if model._meta.app_label in {"pledges", "ingest", "auth"}
    }
    counts["candidate statuses"] = sorted(Candidate.objects.values_list("pk", "status"))
    return counts


def answers(kind: str, ids: dict) -> list[str]:
    wrong = []
    client = client_for(kind)
    for key, row in [*URLS.items(), ("static", STATIC)]:
        path = row.path(ids)
        expected_get, expected_post = getattr(row.expect, kind)
        got_get = outcome(client.get(path))
        got_post = outcome(client.post(path))
        if kind != "anonymous" and "_auth_user_id" not in client.session:
            client = client_for(kind)  # that row logged the user out
        if (got_get, got_post) != (expected_get, expected_post):
            wrong.append(
                f"{key} {path}: expected GET {expected_get}, POST {expected_post}; "
                f"got GET {got_get}, POST {got_post}"
            )
    return wrong


@pytest.mark.parametrize("kind", ["anonymous", "reader"])
def test_readers_can_only_read(ids, kind):
    before = snapshot()
    wrong = answers(kind, ids)
    assert not wrong, f"{kind}:\n" + "\n".join(wrong)
    assert snapshot() == before, "a reader's request changed stored data"


def test_editors_can_read_and_change(ids):
    wrong = answers("editor", ids)
    assert not wrong, "editor:\n" + "\n".join(wrong)
    # The one POST in the table that does its work: the editor rejected a candidate.
    assert Candidate.objects.get(pk=ids["candidate"]).status == "rejected"
