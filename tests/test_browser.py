"""A reader in a real browser (Chromium via Playwright): filter, open a cell, go back,
and the pages pass axe's accessibility checks."""

from __future__ import annotations

import os
import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


@pytest.fixture
def site(browser, transactional_db, live_server):
    from pledges.seeding import seed_load

    seed_load()
    return live_server.url


def matrix_rows(page) -> list[str]:
    return page.locator("#matrix tbody th a").all_inner_texts()


def test_filter_then_open_a_cell_without_reloading(site, page):
    page.goto(site + "/")
    assert "Italy" in matrix_rows(page) and "France" in matrix_rows(page)
    page.evaluate("window.__sameDocument = true")

    page.check('input[name="nation"][value="IT"]')
    page.wait_for_url(re.compile(r"\?.*nation=IT"))
    expect(page.locator("#matrix tbody tr")).to_have_count(1)
    assert matrix_rows(page) == ["Italy"]
    assert page.evaluate("window.__sameDocument === true"), "the page was fully reloaded"

    page.click('a[aria-label^="Italy, Troops:"]')
    panel = page.locator("#cell-dialog[open] #cell-panel")
    panel.locator(".cell-heading").wait_for()
    assert "Italy · Troops" in panel.inner_text()
    assert "declined" in panel.inner_text()
    assert "Meloni made clear she would not send troops to Ukraine" in panel.inner_text()
    assert page.evaluate("document.activeElement.classList.contains('cell-heading')")
    assert page.evaluate("window.__sameDocument === true")
    page.keyboard.press("Escape")
    expect(page.locator("#cell-dialog")).not_to_be_visible()

    page.go_back()
    # Polling a predicate would evaluate a string, which the page's CSP forbids.
    expect(page.locator("#matrix tbody th", has_text="France")).to_be_visible()
    assert "nation=IT" not in page.url
    assert "France" in matrix_rows(page)


def test_shared_url_opens_the_same_filtered_matrix(site, page):
    page.goto(site + "/?nation=IT&type=troops")
    assert matrix_rows(page) == ["Italy"]
    assert page.locator("#matrix thead tr:first-child th").all_inner_texts() == ["Nation", "Troops"]


def test_filters_work_without_javascript(site, browser):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(site + "/")
    page.check('input[name="nation"][value="IT"]')
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r"\?.*nation=IT"))
    assert matrix_rows(page) == ["Italy"]
    page.click('a[aria-label^="Italy, Troops:"]')
    page.wait_for_url(re.compile(r"/cells/IT/troops/"))
    assert "declined" in page.locator("main").inner_text()
    context.close()


@pytest.mark.parametrize("path", ["/", "/nations/IT/", "/cells/DE/troops/", "/?stance=maybe"])
def test_pages_pass_axe(site, page, path):
    from axe_playwright_python.sync_playwright import Axe

    page.goto(site + path)
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()


def test_matrix_screenshot_for_reviewers(site, page):
    """Leaves a picture of the matrix with a cell open, for humans reviewing a change."""
    page.set_viewport_size({"width": 1400, "height": 1000})
    page.goto(site + "/")
    page.click('a[aria-label^="Germany, Troops:"]')
    page.locator("#cell-panel .cell-heading").wait_for()
    out = os.environ.get("SCREENSHOT_DIR", "test-artifacts")
    os.makedirs(out, exist_ok=True)
    page.screenshot(path=os.path.join(out, "matrix.png"), full_page=True)
    assert "Clarity on US involvement" in page.locator("#cell-panel").inner_text()


@pytest.mark.parametrize("width", [390, 1440])
def test_changes_and_a_two_date_comparison_read_well_and_pass_axe(site, page, width):
    """A reader who subscribes to nothing: the changes page, and the matrix compared with an
    earlier date, with the changed cell saying what it was."""
    import datetime as dt

    from axe_playwright_python.sync_playwright import Axe

    from pledges.models import Nation, Pledge, PledgeType

    Pledge.objects.create(
        nation=Nation.objects.get(iso2="IT"),
        pledge_type=PledgeType.objects.get(slug="troops"),
        stance="open",
        announced_on=dt.date(2025, 10, 1),
        summary="Italy no longer rules out troops.",
    )
    page.set_viewport_size({"width": width, "height": 900})
    out = os.environ.get("SCREENSHOT_DIR", "test-artifacts")
    os.makedirs(out, exist_ok=True)

    page.goto(site + "/changes/?since=2025-01-01")
    changes = page.locator("ol.changes > li")
    expect(changes).to_have_count(11)
    assert "Italy · Troops" in changes.first.inner_text()
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()
    page.screenshot(path=os.path.join(out, f"changes-{width}.png"), full_page=True)

    page.goto(site + "/?as_of=2025-10-15&compare=2025-09-10")
    changed = page.locator("#matrix .mark-changed")
    expect(changed).to_have_count(1)
    assert changed.inner_text() == "was declined"
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()
    page.screenshot(path=os.path.join(out, f"compare-{width}.png"), full_page=True)
