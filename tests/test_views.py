"""The public pages as a reader sees them: matrix, filters, cell evidence, nation, CSV."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re

import pytest
from django.urls import reverse

from pledges.models import Pledge, PledgeType, Stance

from .factories import NationFactory, PledgeFactory, PledgeTypeFactory

HTMX = {"HX-Request": "true"}


def cell_text(html: str, nation: str, type_name: str) -> str:
    """The aria-label a screen reader announces for one matrix cell."""
    marker = f'aria-label="{nation}, {type_name}: '
    start = html.index(marker) + len(marker)
    return html[start : html.index(",", start)]


@pytest.mark.usefixtures("seeded")
class TestMatrixFromSeed:
    def test_shows_what_the_seed_article_states(self, client):
        html = client.get("/").content.decode()
        assert cell_text(html, "France", "Troops") == "open"
        assert cell_text(html, "United Kingdom", "Troops") == "open"
        assert cell_text(html, "Italy", "Troops") == "declined"
        assert cell_text(html, "Italy", "Training") == "open"
        assert cell_text(html, "Italy", "Monitoring") == "open"
        assert cell_text(html, "Germany", "Troops") == "conditional"
        assert cell_text(html, "Germany", "Guarantee") == "committed"
        assert cell_text(html, "United States", "Sanctions") == "committed"
        assert "Russia" not in html.split('id="matrix"')[1].split("</table>")[0]

    def test_stance_is_written_not_only_coloured(self, client):
        html = client.get("/").content.decode()
        assert (
            '<span class="stance stance-declined">'
            '<span class="stance-symbol" aria-hidden="true">✕</span> declined</span>' in html
        )

    def test_columns_follow_the_editors_order(self, client):
        PledgeType.objects.filter(slug="guarantee").update(order=0)
        html = client.get("/").content.decode()
        head = html.split("<thead>")[1].split("</thead>")[0]
        assert head.index("Guarantee") < head.index("Troops")

    def test_cell_shows_number_of_sources(self, client):
        html = client.get("/?nation=IT").content.decode()
        assert "Italy, Troops: declined, 1 source, newest evidence" in html

    def test_filter_by_nation_shows_only_those_rows(self, client):
        html = client.get("/?nation=IT&nation=DE").content.decode()
        table = html.split("<tbody")[1]
        assert "Italy" in table and "Germany" in table
        assert "France" not in table

    def test_filter_by_type_and_stance(self, client):
        html = client.get("/?type=troops&stance=open").content.decode()
        table = html.split("<tbody")[1]
        assert "France" in table and "United Kingdom" in table
        assert "Italy" not in table and "Germany" not in table
        assert "Training" not in html.split("<thead>")[1].split("</thead>")[0]

    def test_filter_by_bloc(self, client):
        html = client.get("/?bloc=g7&type=guarantee").content.decode()
        table = html.split("<tbody")[1]
        assert {"France", "Germany", "United States"} <= {
            name for name in ("France", "Germany", "United States", "Italy") if name in table
        }
        assert "Italy" not in table

    def test_free_text_matches_leader_and_quotes(self, client):
        table = client.get("/?q=Meloni").content.decode().split("<tbody")[1]
        assert "Italy" in table and "France" not in table
        table = client.get("/?q=legitimate+targets").content.decode()
        assert "No nation has a stated position matching these filters." in table

    def test_as_of_before_the_summit_says_when_the_record_starts(self, client):
        html = client.get("/?as_of=2025-09-01").content.decode()
        assert "No positions recorded before" in html
        assert "4 September 2025" in html
        assert 'href="?as_of=2025-09-04"' in html

    def test_htmx_request_gets_only_the_matrix(self, client):
        response = client.get("/?nation=IT", headers=HTMX)
        html = response.content.decode()
        assert response.status_code == 200
        assert html.lstrip().startswith('<section id="matrix"')
        assert "<html" not in html and 'id="filters"' not in html
        assert "Italy" in html and "France" not in html
        assert "HX-Request" in response["Vary"]

    def test_htmx_history_restore_gets_the_full_page(self, client):
        headers = {**HTMX, "HX-History-Restore-Request": "true"}
        assert "<html" in client.get("/?nation=IT", headers=headers).content.decode()

    @pytest.mark.parametrize(
        ("query", "message"),
        [
            ("nation=XX", "Unknown nation code: XX."),
            ("nation=ita", "Unknown nation code: ITA."),
            ("type=teleportation", "Unknown commitment type: teleportation."),
            ("stance=maybe", "Unknown stance: maybe."),
            ("bloc=atlantis", "Unknown bloc: atlantis."),
            ("as_of=2025-13-45", "Enter the date as YYYY-MM-DD."),
            ("as_of=0001-01-01", "Choose a date between 1900 and 2999."),
            ("q=" + "x" * 201, "Ensure this value has at most 200 characters"),
            ("q=%00", "Null characters are not allowed."),
        ],
    )
    def test_bad_parameter_is_a_clear_400(self, client, query, message):
        response = client.get(f"/?{query}")
        assert response.status_code == 400
        assert message in response.content.decode()
        partial = client.get(f"/?{query}", headers=HTMX)
        assert partial.status_code == 400
        assert message in partial.content.decode()

    def test_filters_work_without_javascript(self, client):
        html = client.get("/?nation=IT&type=troops").content.decode()
        assert '<form id="filters" class="filters" method="get" action="/"' in html
        assert re.search(r'<input type="checkbox" name="nation" value="IT"[^>]* checked>', html)
        assert re.search(r'name="type" value="troops"[^>]* checked>', html)


@pytest.mark.usefixtures("seeded")
class TestCell:
    def test_panel_shows_stance_quotes_and_sources(self, client):
        Pledge.objects.get(nation__iso2="FR", pledge_type__slug="guarantee")
        response = client.get(reverse("pledges:cell", args=["FR", "guarantee"]), headers=HTMX)
        html = response.content.decode()
        assert "<html" not in html
        assert "France · Guarantee" in html
        assert "committed" in html
        assert "The day the conflict stops, the security guarantees will be deployed" in html
        assert "Emmanuel Macron" in html
        assert "26 nations pledge post-war security guarantees" in html

    def test_italy_troops_declined_with_meloni(self, client):
        html = client.get("/cells/IT/troops/").content.decode()
        assert "<html" in html
        assert "declined" in html
        assert "Giorgia Meloni" in html
        assert "would not send troops to Ukraine" in html

    def test_history_newest_first_and_as_of(self, client):
        italy_troops = Pledge.objects.get(nation__iso2="IT", pledge_type__slug="troops")
        PledgeFactory(
            nation=italy_troops.nation,
            pledge_type=italy_troops.pledge_type,
            stance=Stance.CONDITIONAL,
            announced_on=dt.date(2026, 3, 1),
            summary="Now open to troops under a UN mandate.",
        )
        html = client.get("/cells/IT/troops/").content.decode()
        assert html.index("UN mandate") < html.index("would not send troops")
        assert "2 statements" in html
        earlier = client.get("/cells/IT/troops/?as_of=2025-12-31").content.decode()
        assert "UN mandate" not in earlier
        matrix = client.get("/?nation=IT").content.decode()
        assert cell_text(matrix, "Italy", "Troops") == "conditional"
        assert (
            cell_text(
                client.get("/?nation=IT&as_of=2025-12-31").content.decode(), "Italy", "Troops"
            )
            == "declined"
        )

    @pytest.mark.parametrize(
        ("url", "status"),
        [
            ("/cells/XX/troops/", 404),
            ("/cells/IT/teleportation/", 404),
            ("/cells/IT/troops/?as_of=yesterday", 400),
        ],
    )
    def test_unknown_cell(self, client, url, status):
        assert client.get(url).status_code == status


@pytest.mark.usefixtures("seeded")
class TestPages:
    def test_nation_page_lists_pledges_by_type_leaders_quotes(self, client):
        html = client.get("/nations/it/").content.decode()
        assert "<h1>Italy</h1>" in html
        assert html.index('id="type-troops"') < html.index('id="type-training"')
        assert "Giorgia Meloni" in html
        assert "European Union" in html and "NATO" in html

    def test_nation_page_quotes(self, client):
        html = client.get("/nations/RU/").content.decode()
        assert "legitimate targets for destruction" in html
        assert "No position recorded for Russia up to" in html

    def test_leader_page(self, client):
        from pledges.models import Leader

        macron = Leader.objects.get(name="Emmanuel Macron")
        html = client.get(macron.get_absolute_url()).content.decode()
        assert "France · Guarantee" in html
        assert "the security guarantees will be deployed" in html

    def test_source_page_lists_quotes_and_pledges(self, client):
        from pledges.models import Source

        source = Source.objects.get()
        html = client.get(source.get_absolute_url()).content.decode()
        assert "Italy · Troops" in html
        assert "a White House official" in html
        assert html.count('<figure class="quote">') == 6
        assert "SBS News" in html
        assert 'href="https://www.sbs.com.au/news/article/' in html
        # What the record took from it, never the article's text.
        assert "Russia has long argued that one of its reasons" not in html

    def test_a_source_nothing_was_accepted_from_is_for_editors_only(
        self, client, django_user_model
    ):
        from django.contrib.auth.models import Group

        from pledges.models import Quote, Source

        fetched = Source.objects.create(
            url="https://news.example.org/fetched", title="Fetched, not reviewed", text="Secret."
        )
        Quote.objects.create(
            text="An extracted quote.", speaker_role="an official", source=fetched, reviewed=False
        )
        assert client.get(fetched.get_absolute_url()).status_code == 404
        assert client.get("/api/v1/sources/", {"q": "Fetched"}).json()["count"] == 0
        editor = django_user_model.objects.create_user("ed", password="a-long-editor-password")
        editor.groups.add(Group.objects.get(name="Editors"))
        client.force_login(editor)
        html = client.get(fetched.get_absolute_url()).content.decode()
        assert "Not public yet" in html
        assert "Secret." not in html and "An extracted quote." not in html
        Quote.objects.filter(source=fetched).update(reviewed=True)
        client.logout()
        html = client.get(fetched.get_absolute_url()).content.decode()
        assert "An extracted quote." in html and "Not public yet" not in html

    def test_unknown_pages_are_404(self, client):
        assert client.get("/nations/XX/").status_code == 404
        assert client.get("/leaders/999999/").status_code == 404
        assert client.get("/sources/999999/").status_code == 404

    def test_read_only_for_anonymous(self, client):
        assert client.post("/").status_code == 405
        assert client.post("/cells/IT/troops/").status_code == 405
        assert client.get("/admin/pledges/pledge/").status_code == 302

    def test_head_is_answered_wherever_get_is(self, client):
        from pledges.models import Source

        source = Source.objects.get()
        for path in [
            "/",
            "/matrix.csv",
            "/cells/IT/troops/",
            "/nations/IT/",
            f"/sources/{source.pk}/",
            "/changes/",
            "/changes/feed.atom",
            "/changes.json",
            "/methodology/",
        ]:
            response = client.head(path)
            assert response.status_code == 200, path
            assert response.content == b"", path

    def test_nation_codes_in_any_case(self, client):
        lower = client.get("/", {"nation": ["it", " fr"], "type": "troops"}, headers=HTMX)
        upper = client.get("/", {"nation": ["IT", "FR"], "type": "troops"}, headers=HTMX)
        assert lower.status_code == upper.status_code == 200
        rows = [re.search(r"<tbody.*</tbody>", r.content.decode(), re.S)[0] for r in (lower, upper)]
        assert rows[0] == rows[1] and "Italy" in rows[0] and "France" in rows[0]
        assert client.get("/api/v1/pledges/", {"nation": "it"}).json()["count"] == 3

    def test_counts_per_commitment_and_a_line_per_nation(self, client):
        html = client.get("/").content.decode()
        totals = re.search(r'<tr class="totals">(.*?)</tr>', html, re.S).group(1)
        cells = re.findall(r"<td>(.*?)</td>", totals)
        assert cells[0] == "2 open · 1 conditional · 1 declined"  # troops
        assert "none" in cells  # a commitment nobody has taken a position on
        italy = re.search(r"Italy</a><span class=\"row-summary\">(.*?)</span>", html).group(1)
        assert italy == "2 open · 1 declined"


@pytest.mark.usefixtures("seeded")
class TestCsv:
    def read(self, client, query=""):
        response = client.get(f"/matrix.csv?{query}")
        assert response.status_code == 200
        assert response["Content-Type"] == "text/csv; charset=utf-8"
        return list(csv.DictReader(io.StringIO(response.content.decode())))

    def test_whole_matrix(self, client):
        rows = self.read(client)
        cells = {(r["nation_iso2"], r["pledge_type"]): r["stance"] for r in rows}
        assert cells[("IT", "troops")] == "declined"
        assert cells[("DE", "troops")] == "conditional"
        assert len(rows) == 10
        germany = next(r for r in rows if (r["nation_iso2"], r["pledge_type"]) == ("DE", "troops"))
        assert germany["conditions"] == "Clarity on US involvement"
        assert germany["source_urls"].startswith("https://www.sbs.com.au/news/article/")

    def test_exactly_what_the_filters_show(self, client):
        rows = self.read(client, "nation=IT&stance=open")
        assert {(r["nation_iso2"], r["pledge_type"]) for r in rows} == {
            ("IT", "training"),
            ("IT", "monitoring"),
        }

    def test_bad_filter_is_400(self, client):
        response = client.get("/matrix.csv?stance=maybe")
        assert response.status_code == 400
        assert "Unknown stance: maybe." in response.content.decode()

    def test_formula_injection_is_defused(self, client):
        pledge = Pledge.objects.get(nation__iso2="IT", pledge_type__slug="troops")
        pledge.summary = '=HYPERLINK("http://evil")'
        pledge.save()
        row = next(r for r in self.read(client, "nation=IT&type=troops"))
        assert row["summary"].startswith("'=")


class TestQueryCounts:
    """Pages read in a fixed number of queries, however many nations and pledges."""

    def test_matrix(self, client, big_matrix, django_assert_max_num_queries):
        # The version, the types, the cells, the nations and blocs offered, the record's last
        # update, the filters' counts and the number of nations tracked.
        with django_assert_max_num_queries(8):
            html = client.get("/").content.decode()
        assert html.count('class="cell-link"') == 500

    def test_matrix_partial_filtered(self, client, big_matrix, django_assert_max_num_queries):
        with django_assert_max_num_queries(7):
            response = client.get("/?type=kind-1&type=kind-2&stance=open", headers=HTMX)
        assert response.content.decode().count('class="cell-link"') == 25  # 1/4 of 50, twice
        assert response.status_code == 200

    def test_cell(self, client, big_matrix, django_assert_max_num_queries):
        nation = big_matrix["nations"][3]
        # With its changes (two) and the statements that would make it contested (one).
        with django_assert_max_num_queries(8):
            html = client.get(f"/cells/{nation.iso2}/kind-2/").content.decode()
        assert "3 statements" in html

    def test_nation(self, client, big_matrix, django_assert_max_num_queries):
        nation = big_matrix["nations"][3]
        with django_assert_max_num_queries(12):  # with its changes: three
            html = client.get(f"/nations/{nation.iso2}/").content.decode()
        assert html.count('<article class="pledge') == 30

    def test_csv(self, client, big_matrix, django_assert_max_num_queries):
        with django_assert_max_num_queries(4):
            response = client.get("/matrix.csv")
        assert response.content.decode().count("\n") == 501


def test_matrix_hides_nations_without_pledges(db, client):
    PledgeTypeFactory(slug="troops", name="Troops")
    NationFactory(iso2="NO", name="Norway")
    PledgeFactory(
        nation=NationFactory(iso2="PL", name="Poland"),
        pledge_type=PledgeType.objects.get(slug="troops"),
    )
    table = client.get("/").content.decode().split("<tbody")[1]
    assert "Poland" in table and "Norway" not in table


def test_nation_page_shows_the_newest_quotes_only(db, client):
    from pledges.models import Quote
    from pledges.views import NATION_QUOTES_SHOWN

    from .factories import SourceFactory

    nation = NationFactory(iso2="PL", name="Poland")
    source = SourceFactory()
    for day in range(NATION_QUOTES_SHOWN + 5):
        Quote.objects.create(
            text=f"Quote of day {day:03d}.",
            speaker_role="a Polish official",
            nation=nation,
            source=source,
            said_on=dt.date(2025, 1, 1) + dt.timedelta(days=day),
        )
    html = client.get("/nations/PL/").content.decode()
    assert f"The {NATION_QUOTES_SHOWN} most recent quotes." in html
    assert f"Quote of day {NATION_QUOTES_SHOWN + 4:03d}." in html
    assert "Quote of day 000." not in html


def test_nation_page_shows_the_newest_statements_of_each_commitment(db, client):
    from pledges.views import NATION_STATEMENTS_SHOWN

    poland = NationFactory(iso2="PL", name="Poland")
    troops = PledgeTypeFactory(slug="troops", name="Troops")
    training = PledgeTypeFactory(slug="training", name="Training")
    for day in range(NATION_STATEMENTS_SHOWN + 2):
        PledgeFactory(
            nation=poland,
            pledge_type=troops,
            announced_on=dt.date(2025, 1, 1) + dt.timedelta(days=day),
            summary=f"Troops statement of day {day}.",
        )
    PledgeFactory(nation=poland, pledge_type=training, summary="The only training statement.")
    html = client.get("/nations/PL/?as_of=2025-12-31").content.decode()
    assert html.count('<article class="pledge') == NATION_STATEMENTS_SHOWN + 1
    assert f"Troops statement of day {NATION_STATEMENTS_SHOWN + 1}." in html
    assert "Troops statement of day 0." not in html
    assert (
        f'<a href="/cells/PL/troops/?as_of=2025-12-31">All {NATION_STATEMENTS_SHOWN + 2} '
        "statements on troops</a>" in html
    )
    assert "statements on training" not in html
