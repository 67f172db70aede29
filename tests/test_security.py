"""Security headers on every kind of response, HTTPS settings in production, log-in lockout
after failed passwords, CSRF on every change, and password rules."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.models import Group, User
from django.core.management import CommandError, call_command
from django.test import Client, override_settings
from django.utils import timezone

from ingest.models import Candidate, Feed

from .test_deployment import PRODUCTION_ENV, manage

PASSWORD = "a-long-editor-password"
SECURITY_HEADERS = {
    "Content-Security-Policy",
    "X-Content-Type-Options",
    "Referrer-Policy",
    "X-Frame-Options",
    "Permissions-Policy",
    "Cross-Origin-Opener-Policy",
}


def make_editor(username: str = "ed") -> User:
    user = User.objects.create_user(username, password=PASSWORD, is_staff=True)
    user.groups.add(Group.objects.get(name="Editors"))
    return user


def directives(policy: str) -> dict[str, list[str]]:
    parsed = {}
    for part in policy.split(";"):
        name, *sources = part.split()
        parsed[name] = sources
    return parsed


def assert_secure_headers(response) -> None:
    missing = SECURITY_HEADERS - set(response.headers)
    assert not missing, f"{response.status_code} response lacks {missing}"
    policy = directives(response.headers["Content-Security-Policy"])
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"]
    assert policy["form-action"] == ["'self'"]
    assert not any("unsafe" in source for sources in policy.values() for source in sources)
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert "camera=()" in response.headers["Permissions-Policy"]
    assert "geolocation=()" in response.headers["Permissions-Policy"]


def test_every_kind_of_response_carries_the_security_headers(seeded, client):
    editor = make_editor()
    anonymous = [
        client.get("/"),  # a page
        client.get("/", headers={"HX-Request": "true"}),  # an HTMX fragment
        client.get("/matrix.csv"),  # a download
        client.get("/?as_of=yesterday"),  # 400
        client.get("/nations/XX/"),  # 404
        client.post("/"),  # 405
        client.get("/review/"),  # redirect to log in
        client.get("/admin/login/"),
        client.get("/static/pledgewatch/app.css"),  # served by WhiteNoise, before any view
        client.get("/static/vendor/htmx-2.0.11/htmx.min.js"),
    ]
    client.force_login(User.objects.create_user("reader", password=PASSWORD))
    reader = [client.get("/review/")]  # 403
    client.force_login(editor)
    editors = [client.get("/review/"), client.get("/admin/"), client.get("/admin/pledges/pledge/")]
    csrf = Client(enforce_csrf_checks=True).post("/review/feeds/", {"url": "https://x.test/"})
    for response in [*anonymous, *reader, *editors, csrf]:
        assert_secure_headers(response)
    assert [r.status_code for r in anonymous[3:8]] == [400, 404, 405, 302, 200]
    assert reader[0].status_code == 403 and csrf.status_code == 403


def test_pages_hold_no_inline_script_style_or_handlers(seeded, client):
    """What the policy would block must not be in our templates in the first place."""
    client.force_login(make_editor())
    call_command("ingest_file", "seeds/000_ac9b6a256edaf299.txt", stdout=io.StringIO())
    for url in ["/", "/nations/IT/", "/cells/IT/troops/", "/review/", "/review/feeds/"]:
        html = client.get(url).content.decode()
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), url
        assert "<style" not in html and " style=" not in html, url
        assert not re.search(r"\son[a-z]+=", html), url
        assert "hx-on" not in html and "javascript:" not in html, url


def test_htmx_sends_the_csrf_token_and_runs_without_eval(seeded, client):
    client.force_login(make_editor())
    html = client.get("/").content.decode()
    assert re.search(r"<body hx-headers='\{\"x-csrftoken\": \"[A-Za-z0-9]{32,}\"\}'>", html)
    assert '"allowEval": false' in html and '"includeIndicatorStyles": false' in html


@pytest.mark.parametrize(
    ("variable", "value", "setting", "expected"),
    [
        ("SECURE_HSTS_SECONDS", "300", "SECURE_HSTS_SECONDS", 300),
        ("SECURE_HSTS_PRELOAD", "false", "SECURE_HSTS_PRELOAD", False),
        ("SECURE_SSL_REDIRECT", "false", "SECURE_SSL_REDIRECT", False),
        (None, None, "SECURE_HSTS_SECONDS", 31_536_000),
        (None, None, "SESSION_COOKIE_SECURE", True),
        (None, None, "CSRF_COOKIE_SECURE", True),
    ],
)
def test_https_settings_follow_the_environment(variable, value, setting, expected):
    env = {**PRODUCTION_ENV, **({variable: value} if variable else {})}
    result = manage(
        "shell", "-c", f"from django.conf import settings; print(settings.{setting})", env=env
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == str(expected)


@override_settings(
    SECURE_SSL_REDIRECT=True,
    SECURE_HSTS_SECONDS=31_536_000,
    SECURE_HSTS_INCLUDE_SUBDOMAINS=True,
    SESSION_COOKIE_SECURE=True,
    CSRF_COOKIE_SECURE=True,
)
def test_production_redirects_to_https_and_pins_it(db):
    client = Client()
    redirect = client.get("/nations/IT/")
    assert redirect.status_code == 301
    assert redirect["Location"] == "https://testserver/nations/IT/"
    assert_secure_headers(redirect)
    page = client.get("/admin/login/", secure=True)
    assert page["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    assert page.cookies["csrftoken"]["secure"] and page.cookies["csrftoken"]["samesite"] == "Lax"


def test_deploy_check_passes_with_the_security_headers_in_place():
    result = manage("check", "--deploy", "--fail-level", "DEBUG", env=PRODUCTION_ENV)
    assert "no issues" in result.stdout, result.stdout + result.stderr


# --- Log-in lockout (django-axes) ----------------------------------------------------------


def admin_login(client: Client, password: str, *, ip: str = "203.0.113.7", **headers):
    return client.post(
        "/admin/login/?next=/admin/",
        {"username": "ed", "password": password},
        REMOTE_ADDR=ip,
        headers=headers,
    )


def test_five_wrong_passwords_lock_the_account_even_for_the_right_one(db, client):
    make_editor()
    for _ in range(4):
        response = admin_login(client, "guess")
        assert response.status_code == 200
        assert "Please enter the correct username and password" in response.content.decode()
    fifth = admin_login(client, "guess")
    assert fifth.status_code == 429
    right = admin_login(client, PASSWORD)
    assert right.status_code == 429
    text = right.content.decode()
    assert "Too many failed log-in attempts" in text
    assert "locked for 15 minutes after 5 wrong passwords" in text
    assert "even the right password is refused" in text
    assert "_auth_user_id" not in client.session
    assert_secure_headers(right)


def test_lockout_is_per_username_and_address_and_ends_after_the_cool_off(db, client):
    make_editor()
    for _ in range(5):
        admin_login(client, "guess")
    assert admin_login(client, PASSWORD).status_code == 429
    # The same editor from elsewhere is not locked out by someone guessing at one address.
    assert admin_login(Client(), PASSWORD, ip="198.51.100.20").status_code == 302
    AccessAttempt.objects.update(attempt_time=timezone.now() - dt.timedelta(minutes=16))
    response = admin_login(client, PASSWORD)
    assert response.status_code == 302 and response["Location"] == "/admin/"


@override_settings(TRUSTED_PROXY_COUNT=1)
def test_behind_a_proxy_a_forged_forwarded_for_does_not_reset_the_count(db, client):
    make_editor()
    for attempt in range(5):
        admin_login(
            client, "guess", ip="10.0.0.2", **{"X-Forwarded-For": f"192.0.2.{attempt}, 203.0.113.9"}
        )
    forged = admin_login(
        client, PASSWORD, ip="10.0.0.2", **{"X-Forwarded-For": "192.0.2.99, 203.0.113.9"}
    )
    assert forged.status_code == 429
    elsewhere = admin_login(
        Client(), PASSWORD, ip="10.0.0.2", **{"X-Forwarded-For": "198.51.100.1"}
    )
    assert elsewhere.status_code == 302


def test_a_successful_log_in_resets_the_failures(db, client):
    make_editor()
    for _ in range(4):
        admin_login(client, "guess")
    assert admin_login(client, PASSWORD).status_code == 302
    client.logout()
    for _ in range(4):
        admin_login(client, "guess")
    assert admin_login(client, PASSWORD).status_code == 302


def test_weak_passwords_are_refused_for_editors(db, monkeypatch):
    monkeypatch.setenv("PLEDGEWATCH_EDITOR_PASSWORD", "12345678")
    with pytest.raises(CommandError, match=r"too common|entirely numeric"):
        call_command("create_editor", "weak")
    assert not User.objects.filter(username="weak").exists()


def test_admin_password_change_applies_the_validators(db, client):
    client.force_login(make_editor())
    response = client.post(
        "/admin/password_change/",
        {"old_password": PASSWORD, "new_password1": "password", "new_password2": "password"},
    )
    assert response.status_code == 200
    assert "This password is too common." in response.content.decode()


# --- CSRF ----------------------------------------------------------------------------------


@pytest.fixture
def csrf_editor(seeded):
    call_command("ingest_file", "seeds/000_ac9b6a256edaf299.txt", stdout=io.StringIO())
    client = Client(enforce_csrf_checks=True)
    client.force_login(make_editor())
    return client


def test_changes_without_the_csrf_token_are_refused(csrf_editor):
    candidate = Candidate.objects.first()
    posts = {
        f"/review/candidates/{candidate.pk}/accept/": {},
        f"/review/candidates/{candidate.pk}/reject/": {},
        "/review/bulk/": {"decision": "accept", "candidate": [candidate.pk]},
        "/review/articles/new/": {"url": "https://news.example.org/a"},
        "/review/feeds/": {"url": "https://news.example.org/feed.xml"},
        "/admin/pledges/pledgetype/add/": {"slug": "x", "name": "X", "order": 1},
        "/admin/logout/": {},
    }
    for url, data in posts.items():
        assert csrf_editor.post(url, data).status_code == 403, url
        assert csrf_editor.post(url, data, headers={"HX-Request": "true"}).status_code == 403
    assert Candidate.objects.get(pk=candidate.pk).status == "pending"
    assert not Feed.objects.exists()


def test_a_refused_form_explains_itself_in_the_sites_own_layout(csrf_editor):
    """Django's stock CSRF page styles itself inline, which our CSP blocks."""
    candidate = Candidate.objects.first()
    url = f"/review/candidates/{candidate.pk}/accept/"
    no_cookie = csrf_editor.post(url)
    csrf_editor.get("/review/")  # sets the CSRF cookie; the form's token is still missing
    stale = csrf_editor.post(url, {"csrfmiddlewaretoken": "x" * 64})
    for response in (no_cookie, stale):
        html = response.content.decode()
        assert response.status_code == 403
        assert "Nothing was changed." in html and "reload the page" in html
        assert "pledgewatch/app.css" in html and "<style" not in html
    assert Candidate.objects.get(pk=candidate.pk).status == "pending"


def test_htmx_post_with_the_token_from_the_page_header_is_accepted(csrf_editor):
    html = csrf_editor.get("/review/").content.decode()
    token = re.search(r'"x-csrftoken": "([^"]+)"', html).group(1)
    candidate = Candidate.objects.filter(status="pending").first()
    response = csrf_editor.post(
        f"/review/candidates/{candidate.pk}/reject/",
        headers={"HX-Request": "true", "X-CSRFToken": token},
    )
    assert response.status_code == 200
    assert Candidate.objects.get(pk=candidate.pk).status == "rejected"
