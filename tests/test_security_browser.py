"""The Content Security Policy in a real browser: readers' pages with HTMX, the review queue
and the Django admin (log-in, change forms, autocomplete, add-another popups, history) work
with no 'unsafe-inline' or 'unsafe-eval', and Chromium reports no violation anywhere."""

from __future__ import annotations

import importlib
import io
import re

import pytest
from django.apps import apps
from django.contrib.auth.models import Group, User
from django.core.management import call_command
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

PASSWORD = "a-long-editor-password"

# Runs in every document (popups included) before the page's own scripts.
REPORT_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
  window.reportViolation(
    `${event.violatedDirective} blocked ${event.blockedURI || "inline"} ` +
    `at ${event.sourceFile}:${event.lineNumber} on ${document.location.pathname}`
  );
});
"""


@pytest.fixture
def site(browser, transactional_db, live_server):
    from pledges.seeding import seed_load

    seed_load()
    call_command("ingest_file", "seeds/000_ac9b6a256edaf299.txt", stdout=io.StringIO())
    editor = User.objects.create_user("ed", password=PASSWORD, is_staff=True)
    editor.groups.add(editors_group())
    return live_server.url


def editors_group() -> Group:
    """The Editors group as the migrations make it (a transactional test flushes it)."""
    curated = importlib.import_module("pledges.migrations.0002_editors_group")
    review = importlib.import_module("ingest.migrations.0002_editors_review")
    curated.create_editors_group(apps, None)
    review.grant(apps, None)
    return Group.objects.get(name="Editors")


class Violations(list):
    def check(self) -> None:
        assert not self, "Content Security Policy violations:\n" + "\n".join(self)


@pytest.fixture
def context(browser):
    context = browser.new_context()
    context.set_default_timeout(60_000)  # CI machines run other suites alongside
    yield context
    context.close()


@pytest.fixture
def violations(context) -> Violations:
    found = Violations()
    context.expose_function("reportViolation", lambda text: found.append(text))
    context.add_init_script(REPORT_VIOLATIONS)

    def on_console(message) -> None:
        if "Content Security Policy" in message.text or "Permissions-Policy" in message.text:
            found.append(f"console: {message.text}")

    context.on("console", on_console)
    return found


@pytest.fixture
def page(context, violations):
    return context.new_page()


def log_in(page, site: str) -> None:
    page.goto(site + "/admin/login/?next=/admin/")
    page.fill("#id_username", "ed")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(site + "/admin/")


def test_reader_pages_and_htmx_run_under_the_policy(site, page, violations):
    response = page.goto(site + "/")
    csp = response.headers["content-security-policy"]
    assert "'unsafe-inline'" not in csp and "'unsafe-eval'" not in csp
    page.evaluate("window.__sameDocument = true")

    page.check('input[name="nation"][value="IT"]')
    page.wait_for_url(re.compile(r"\?.*nation=IT"))
    expect(page.locator("#matrix tbody tr")).to_have_count(1)
    page.locator("#id_q").press_sequentially("Meloni")
    page.wait_for_url(re.compile(r"q=Meloni"))
    # Each keystroke may swap the matrix; click only once the last swap has landed.
    page.wait_for_load_state("networkidle")
    expect(page.locator("#matrix.htmx-request")).to_have_count(0)
    page.click('a[aria-label^="Italy, Troops:"]')
    page.locator("#cell-panel .cell-heading").wait_for()
    assert "declined" in page.locator("#cell-panel").inner_text()
    assert page.evaluate("window.__sameDocument === true"), "HTMX did not swap in place"

    page.goto(site + "/nations/IT/")
    page.goto(site + "/?as_of=not-a-date")
    page.goto(site + "/no/such/page/")
    violations.check()


def test_review_queue_decides_with_htmx_under_the_policy(site, page, violations):
    log_in(page, site)
    page.goto(site + "/review/")
    page.evaluate("window.__sameDocument = true")
    first = page.locator("article.candidate").first
    first.locator("button", has_text="Reject").click()
    page.locator("article.candidate-rejected").wait_for()
    assert page.evaluate("window.__sameDocument === true"), "HTMX did not post in place"
    page.goto(site + "/review/feeds/")
    page.goto(site + "/review/articles/new/")
    violations.check()


def test_admin_works_under_the_policy(site, context, page, violations):
    log_in(page, site)

    page.goto(site + "/admin/pledges/pledge/")
    assert "Select pledge to change" in page.locator("h1").inner_text()
    page.click("text=Italy")  # a change form with autocomplete widgets and inlines
    page.locator("#pledge_form").wait_for()

    # Autocomplete: select2 fetches its choices from the admin's JSON view.
    page.click("#id_nation + .select2 .select2-selection")
    page.locator(".select2-dropdown .select2-search__field").press_sequentially("Fran")
    page.locator(".select2-results__option", has_text="France").wait_for()
    page.keyboard.press("Escape")

    # Add-another popup: the popup's response script fills the opener's field.
    page.goto(site + "/admin/pledges/leader/add/")
    with page.expect_popup() as popup_info:
        page.click("#add_id_nation")
    popup = popup_info.value
    popup.wait_for_load_state()
    popup.fill("#id_iso2", "ZQ")
    popup.fill("#id_iso3", "ZQQ")
    popup.fill("#id_name", "Zequestan")
    with popup.expect_event("close"):
        popup.click("input[name=_save]")
    assert "Zequestan" in page.locator("#id_nation + .select2").inner_text()

    # Prepopulated slug fields, list_editable and date hierarchy.
    page.goto(site + "/admin/pledges/pledgetype/add/")
    page.locator("#id_name").press_sequentially("Intelligence sharing")
    assert page.input_value("#id_slug") == "intelligence-sharing"
    page.goto(site + "/admin/pledges/pledgetype/")
    page.goto(site + "/admin/pledges/source/")
    page.goto(site + "/admin/ingest/candidate/")
    page.goto(site + "/admin/pledges/pledge/")
    page.click("text=Italy")
    page.click("a.historylink")
    page.locator("#change-history").wait_for()
    violations.check()
