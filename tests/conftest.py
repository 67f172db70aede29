"""Shared pytest configuration: plugins and fixtures every test module may rely on."""

from __future__ import annotations

import datetime as dt

import pytest

pytest_plugins = ["tests.loopback_guard", "tests.stub_server", "tests.throwaway_services"]


@pytest.fixture(autouse=True)
def _forget_rendered_matrix():
    """Each test starts without cached matrix pages: ids of rolled-back rows come back, so a
    page cached by an earlier test could carry the same data version."""
    yield
    from pledges import matrix_cache

    matrix_cache.clear()


@pytest.fixture
def seeded(db):
    """The seed data, loaded exactly as `make run` loads it."""
    from pledges.seeding import seed_load

    return seed_load()


@pytest.fixture
def big_matrix(db):
    """50 nations x 10 pledge types, each cell with a three-statement history and evidence."""
    from pledges.models import Nation, Pledge, PledgeType, Quote, Source, Stance

    from .factories import _iso2

    types = PledgeType.objects.bulk_create(
        PledgeType(slug=f"kind-{i}", name=f"Kind {i}", description="d", order=i) for i in range(10)
    )
    nations = Nation.objects.bulk_create(
        Nation(iso2=_iso2(i + 30), iso3=_iso2(i + 30) + "Z", name=f"Land {i:02d}")
        for i in range(50)
    )
    source = Source.objects.create(url="https://news.example.org/big", title="Big", text="x")
    stances = list(Stance.values)
    pledges = Pledge.objects.bulk_create(
        Pledge(
            nation=nation,
            pledge_type=pledge_type,
            stance=stances[(n + t + k) % 4],
            announced_on=dt.date(2024, 1, 1) + dt.timedelta(days=30 * k),
            summary=f"statement {k}",
        )
        for n, nation in enumerate(nations)
        for t, pledge_type in enumerate(types)
        for k in range(3)
    )
    Pledge.sources.through.objects.bulk_create(
        Pledge.sources.through(pledge_id=p.pk, source_id=source.pk) for p in pledges
    )
    quotes = Quote.objects.bulk_create(
        Quote(
            text=f"quote {i}",
            text_hash=f"{i:064d}",
            speaker_role="an official",
            source=source,
            nation=nations[i % 50],
        )
        for i in range(len(pledges))
    )
    Pledge.quotes.through.objects.bulk_create(
        Pledge.quotes.through(pledge_id=p.pk, quote_id=q.pk) for p, q in zip(pledges, quotes)
    )
    return {"nations": nations, "types": types, "pledges": pledges}


# The machine's network is closed: without these flags Chromium keeps trying to reach
# outside services at start-up.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="module")
def browser():
    """Debian's Chromium driven by Playwright, one per test module."""
    from playwright.sync_api import sync_playwright

    from .services import chromium_path

    executable = chromium_path()
    # Playwright's sync API keeps an event loop running in this thread for the module;
    # the ORM calls the tests and their teardown make meanwhile are still synchronous.
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
            yield browser
            browser.close()


@pytest.fixture
def page(browser):
    """A page in a fresh browser context: no cookie or storage carries over between tests."""
    context = browser.new_context()
    page = context.new_page()
    yield page
    context.close()


# Every nation of the seed data, most with several positions, in a few seconds.
DEMO_SCALE = 0.05


@pytest.fixture
def demo_site(browser, transactional_db, live_server):
    """The live server's address, on the large demo set at DEMO_SCALE (249 nations)."""
    from pledges.demo_data import demo_data_generate

    demo_data_generate(scale=DEMO_SCALE)
    return live_server.url


@pytest.fixture
def run_on_commit(django_capture_on_commit_callbacks):
    """Runs a task in-process, then what it enqueued after commit, as a real commit would."""

    def run(task, *args):
        with django_capture_on_commit_callbacks(execute=True):
            return task.apply(args=args)

    return run
