"""The reader's view at real size, in Chromium: 249 nations with thousands of positions, on a
phone and a desktop. Nothing pans sideways, the header row and the nation column stay in view,
a cell's evidence opens where the reader is, the filters say what the matrix shows (after Back
and Forward too), and every page passes axe."""

from __future__ import annotations

import os
import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

WIDTHS = [390, 1440]


@pytest.fixture
def site(demo_site):
    return demo_site


def screenshot(page, name: str) -> None:
    out = os.environ.get("SCREENSHOT_DIR", "test-artifacts")
    os.makedirs(out, exist_ok=True)
    page.screenshot(path=os.path.join(out, f"{name}.png"), full_page=False)


def assert_axe_clean(page) -> None:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()


def page_width(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


@pytest.mark.parametrize("query", ["", "?group=bloc&sort=committed", "?as_of=2024-01-01"])
def test_no_page_pans_sideways(site, page, query):
    for width in (320, 390, 768, 1440):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(site + "/" + query)
        expect(page.locator("#matrix .cell-link").first).to_be_attached()
        assert page_width(page) <= width, width


def test_on_a_desktop_the_header_row_and_nation_column_stay_in_view(site, page):
    page.set_viewport_size({"width": 1440, "height": 900})
    page.goto(site + "/")
    box = page.locator(".table-scroll")
    box.scroll_into_view_if_needed()
    page.evaluate("document.querySelector('.table-scroll').scrollBy(2500, 4000)")
    scroller = box.bounding_box()
    header = page.locator(".matrix-table thead th").nth(3).bounding_box()
    first_column = page.locator(".matrix-table tbody th").nth(60)
    first_column.scroll_into_view_if_needed()
    page.evaluate("document.querySelector('.table-scroll').scrollLeft = 2500")
    nation = first_column.bounding_box()
    assert abs(header["y"] - scroller["y"]) <= 2, (header, scroller)
    assert abs(nation["x"] - scroller["x"]) <= 2, (nation, scroller)
    assert page.locator(".matrix-table").bounding_box()["width"] > 1440  # it did scroll
    screenshot(page, "matrix-scrolled-1440")


def test_on_a_phone_each_nation_is_a_card_with_its_name_in_view(site, page):
    page.set_viewport_size({"width": 390, "height": 800})
    page.goto(site + "/")
    expect(page.locator(".matrix-table thead")).to_be_hidden()
    # The filters are folded away so the matrix comes first; a tap opens them.
    expect(page.locator("#filter-panel")).not_to_have_attribute("open", "")
    card = page.locator("#matrix tbody tr").nth(40)
    cells = card.locator(".cell-link")
    assert card.evaluate("row => getComputedStyle(row).display") == "grid"
    assert cells.count() >= 1
    assert page.locator("#matrix td.empty").first.is_hidden()
    # Halfway down a tall card its nation's name is still at the top of the screen.
    card.scroll_into_view_if_needed()
    top = card.bounding_box()["y"] + page.evaluate("window.scrollY")
    page.evaluate(f"window.scrollTo(0, {top + card.bounding_box()['height'] / 2})")
    name = card.locator("th").bounding_box()
    assert -1 <= name["y"] <= 2, name
    page.locator("#filter-panel summary").click()
    expect(page.locator("#nation-search")).to_be_visible()
    screenshot(page, "matrix-cards-390")


@pytest.mark.parametrize("width", WIDTHS)
def test_opening_a_cell_keeps_the_readers_place_and_focus(site, page, width):
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(site + "/")
    link = page.locator("#matrix tbody tr").nth(120).locator(".cell-link").first
    link.scroll_into_view_if_needed()
    href = link.get_attribute("href")
    assert re.fullmatch(r"/cells/[A-Z]{2}/[a-z-]+/", href), "a cell keeps its own URL"
    scroll = page.evaluate("[window.scrollX, window.scrollY]")
    link.click()
    dialog = page.locator("#cell-dialog")
    expect(dialog.locator(".cell-heading")).to_be_focused()
    assert page.evaluate("[window.scrollX, window.scrollY]") == scroll
    assert dialog.locator(f'a[href^="{href}"]').count() == 1, "links to the cell's own page"
    assert_axe_clean(page)
    screenshot(page, f"cell-{width}")
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    expect(link).to_be_focused()
    assert page.evaluate("[window.scrollX, window.scrollY]") == scroll


def test_back_and_forward_keep_the_form_and_the_address_clean(site, page):
    page.set_viewport_size({"width": 1440, "height": 900})
    page.goto(site + "/")
    france = page.locator('input[name="nation"][value="FR"]')
    italy = page.locator('input[name="nation"][value="IT"]')
    france.check()
    page.wait_for_url(re.compile(r"/\?nation=FR$"))
    italy.check()
    page.wait_for_url(re.compile(r"/\?nation=FR&nation=IT$"))
    assert sorted(page.locator("#matrix tbody th a").all_inner_texts()) == ["France", "Italy"]

    page.go_back()
    page.wait_for_url(re.compile(r"/\?nation=FR$"))
    expect(page.locator('input[name="nation"][value="FR"]')).to_be_checked()
    expect(page.locator('input[name="nation"][value="IT"]')).not_to_be_checked()
    expect(page.locator("#matrix tbody th a")).to_have_text(["France"])
    expect(page.locator("#filter-panel .active-count")).to_have_text("· 1 in use")
    page.go_forward()
    page.wait_for_url(re.compile(r"nation=IT$"))
    expect(page.locator('input[name="nation"][value="IT"]')).to_be_checked()
    expect(page.locator("[data-picked=nation]")).to_have_text("· 2 chosen")


def test_the_counts_follow_the_filters(site, page):
    from pledges.models import Nation

    page.set_viewport_size({"width": 1440, "height": 900})
    page.goto(site + "/")
    troops = page.locator('.facet-count[data-facet="type"][data-value="troops"]')
    everything = troops.inner_text()
    page.locator('input[name="stance"][value="committed"]').check()
    page.wait_for_url(re.compile(r"stance=committed"))
    expect(troops).not_to_have_text(everything)
    page.locator('input[name="type"][value="troops"]').check()
    page.wait_for_url(re.compile(r"type=troops"))
    shown = page.locator("#matrix .cell-link").count()
    expect(troops).to_have_text(f"({shown})")
    summary = page.locator("#matrix-summary").inner_text()
    assert f"of {Nation.objects.count()} tracked nations" in summary


def test_nations_are_found_by_typing_and_ticked_by_keyboard(site, page):
    page.set_viewport_size({"width": 1440, "height": 900})
    page.goto(site + "/")
    search = page.locator("#nation-search")
    search.fill("ital")
    visible = page.locator("#nation-list label:visible")
    expect(visible).to_have_count(1)
    expect(visible).to_contain_text("Italy")
    search.press("Tab")
    expect(page.locator('input[name="nation"][value="IT"]')).to_be_focused()
    page.keyboard.press("Space")
    page.wait_for_url(re.compile(r"/\?nation=IT$"))
    expect(page.locator("#matrix tbody th a")).to_have_text(["Italy"])
    search.fill("fr")  # a code finds its nation too
    expect(page.locator("#nation-list label:visible", has_text="France")).to_have_count(1)
    assert "search" not in page.url  # the box itself is no filter


@pytest.mark.parametrize(
    "name, path",
    [
        ("matrix", "/"),
        ("matrix-grouped", "/?group=bloc&sort=committed"),
        ("nation", "/nations/FR/"),
        ("cell-page", "/cells/FR/troops/"),
        ("matrix-empty", "/?as_of=2000-01-01"),
    ],
)
def test_pages_pass_axe_and_are_pictured(site, page, name, path):
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(site + path)
        assert page_width(page) <= width, width
        assert_axe_clean(page)
        screenshot(page, f"{name}-{width}")
