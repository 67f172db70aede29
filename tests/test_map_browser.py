"""The map in a real browser (Chromium via Playwright) on a large record: it fits every screen
width, passes axe's accessibility checks, and its shapes and picker work without JavaScript."""

from __future__ import annotations

import os
import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


@pytest.fixture
def site(demo_site):
    return demo_site


@pytest.mark.parametrize("width", [320, 390, 768, 1440])
def test_map_fits_the_screen_and_passes_axe(site, page, width):
    from axe_playwright_python.sync_playwright import Axe

    from pledges.models import Pledge

    page.set_viewport_size({"width": width, "height": 900})
    page.goto(site + "/map/?type=troops")
    world = page.locator("svg.world-map")
    expect(world).to_be_visible()
    box = world.bounding_box()
    assert box["width"] <= width and box["height"] > box["width"] / 2
    linked = page.locator("svg.world-map a")
    assert linked.count() > 100
    positions = Pledge.objects.filter(pledge_type__slug="troops").values("nation").distinct()
    expect(page.locator(".map-table tbody tr")).to_have_count(positions.count())
    legend = page.locator(".map-legend")
    for words in ("committed solid", "open lines", "conditional dots", "declined hatched"):
        expect(legend).to_contain_text(words)

    assert page.evaluate("document.documentElement.scrollWidth") <= width
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()
    out = os.environ.get("SCREENSHOT_DIR", "test-artifacts")
    os.makedirs(out, exist_ok=True)
    page.screenshot(path=os.path.join(out, f"map-{width}.png"), full_page=True)


def test_a_country_opens_its_cell_and_the_picker_works_without_javascript(site, browser):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.set_viewport_size({"width": 1440, "height": 900})
    page.goto(site + "/map/?type=troops&bloc=eu")
    expect(page.locator("svg.world-map a")).to_have_count(
        page.locator(".map-table tbody tr").count()
    )

    page.select_option("#map-type", "air")
    page.click(".map-picker button[type=submit]")
    page.wait_for_url(re.compile(r"/map/\?bloc=eu&type=air$"))
    expect(page.locator(".map-note strong")).to_have_text("Air")

    france = page.locator('svg.world-map a[href="/cells/FR/air/"]')
    title = france.locator("title").text_content()
    assert re.fullmatch(r"France: (committed|open|conditional|declined)", title)
    france.click()
    page.wait_for_url(re.compile(r"/cells/FR/air/$"))
    expect(page.locator(".cell-heading")).to_contain_text("France · Air")
    assert title.split(": ")[1] in page.locator("main").inner_text()
    context.close()
