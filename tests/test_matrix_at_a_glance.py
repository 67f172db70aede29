"""The matrix at a glance, through the Django test client: the filters' counts, sorting and
grouping, formality, what the page says it shows, and why a result is empty."""

from __future__ import annotations

import datetime as dt
import json
import re
from html import unescape as html_unescape

import pytest

from pledges.models import Pledge

from .factories import BlocFactory, NationFactory, PledgeFactory, PledgeTypeFactory

HTMX = {"HX-Request": "true"}


@pytest.fixture
def small_world(db):
    """Four nations, two blocs, two types: enough for every count to differ."""
    troops = PledgeTypeFactory(slug="troops", name="Troops", order=1)
    air = PledgeTypeFactory(slug="air", name="Air", order=2)
    eu, nato = BlocFactory(slug="eu", name="EU"), BlocFactory(slug="nato", name="NATO")
    france = NationFactory(iso2="FR", name="France")
    germany = NationFactory(iso2="DE", name="Germany")
    norway = NationFactory(iso2="NO", name="Norway")
    malta = NationFactory(iso2="MT", name="Malta")
    NationFactory(iso2="IS", name="Iceland")  # tracked, no position
    france.blocs.add(eu, nato)
    germany.blocs.add(eu, nato)
    norway.blocs.add(nato)
    day = dt.date(2025, 9, 4)

    def pledge(nation, kind, stance, formality="statement"):
        return PledgeFactory(
            nation=nation, pledge_type=kind, stance=stance, formality=formality, announced_on=day
        )

    pledge(france, troops, "committed", "agreement")
    pledge(france, air, "committed", "delivered")
    pledge(germany, troops, "declined")
    pledge(germany, air, "committed", "declaration")
    pledge(norway, troops, "open")
    pledge(malta, air, "declined")


def rows(html: str) -> list[str]:
    return re.findall(r'<th scope="row"><a href="/nations/\w\w/">([^<]+)</a>', html)


def count_of(html: str, facet: str, value: str) -> str:
    found = re.search(rf'data-facet="{facet}" data-value="{value}">([^<]*)<', html)
    assert found, (facet, value)
    return found.group(1)


class TestFacetCounts:
    def test_each_choice_shows_how_many_positions_it_would_show(self, small_world, client):
        html = client.get("/").content.decode()
        assert count_of(html, "stance", "committed") == "(3)"
        assert count_of(html, "stance", "declined") == "(2)"
        assert count_of(html, "type", "troops") == "(3)"
        assert count_of(html, "nation", "FR") == "(2)"
        assert count_of(html, "bloc", "nato") == "(5)"
        assert count_of(html, "formality", "statement") == "(3)"

    def test_a_choice_changes_the_other_filters_counts_not_its_own(self, small_world, client):
        html = client.get("/", {"stance": "committed"}).content.decode()
        assert rows(html) == ["France", "Germany"]
        # The stances' own counts stay those of "any stance", so a second one can be added.
        assert count_of(html, "stance", "declined") == "(2)"
        assert count_of(html, "type", "troops") == "(1)" and count_of(html, "type", "air") == "(2)"
        assert count_of(html, "nation", "NO") == "(0)"
        assert count_of(html, "bloc", "eu") == "(3)"

    def test_htmx_partial_carries_the_counts_for_the_form(self, small_world, client):
        response = client.get("/", {"bloc": "eu", "type": "troops"}, headers=HTMX)
        html = response.content.decode()
        facets = json.loads(html_unescape(re.search(r'data-facets="([^"]*)"', html).group(1)))
        assert facets["stance"] == {"committed": 1, "declined": 1}
        assert facets["type"] == {"troops": 2, "air": 2}
        assert facets["bloc"] == {"eu": 2, "nato": 3}

    def test_counts_respect_the_date(self, small_world, client):
        html = client.get("/", {"as_of": "2025-09-03"}).content.decode()
        assert count_of(html, "stance", "committed") == "(0)"


class TestSortingAndGrouping:
    def test_by_name_by_default(self, small_world, client):
        assert rows(client.get("/").content.decode()) == ["France", "Germany", "Malta", "Norway"]

    def test_most_committed_first_then_most_positions(self, small_world, client):
        html = client.get("/", {"sort": "committed"}).content.decode()
        assert rows(html) == ["France", "Germany", "Malta", "Norway"]
        PledgeFactory(
            nation=Pledge.objects.get(nation__iso2="NO").nation,
            pledge_type=Pledge.objects.get(nation__iso2="MT").pledge_type,
            stance="committed",
            announced_on=dt.date(2025, 9, 4),
        )
        html = client.get("/", {"sort": "committed"}).content.decode()
        assert rows(html) == ["France", "Germany", "Norway", "Malta"]

    def test_most_positions_first(self, small_world, client):
        html = client.get("/", {"sort": "positions"}).content.decode()
        assert rows(html)[:2] == ["France", "Germany"] and rows(html)[2:] == ["Malta", "Norway"]

    def test_grouped_by_bloc_with_each_groups_counts(self, small_world, client):
        html = client.get("/", {"group": "bloc"}).content.decode()
        groups = re.findall(r'<th scope="colgroup"[^>]*>([^<]+) <span class="group-summary">'
                            r"([^<]+)</span>", html)  # fmt: skip
        assert groups == [
            ("EU", "· 2 nations · 3 committed · 1 declined"),
            ("NATO", "· 3 nations · 3 committed · 1 open · 1 declined"),
            ("In no tracked bloc", "· 1 nation · 1 declined"),
        ]
        assert rows(html) == ["France", "Germany", "France", "Germany", "Norway", "Malta"]

    def test_grouping_by_chosen_blocs_shows_only_those(self, small_world, client):
        html = client.get("/", {"group": "bloc", "bloc": "eu"}).content.decode()
        assert "In no tracked bloc" not in html and ">NATO <" not in html
        assert rows(html) == ["France", "Germany"]

    @pytest.mark.parametrize("param", [{"sort": "size"}, {"group": "nation"}])
    def test_unknown_order_is_a_400(self, small_world, client, param):
        response = client.get("/", param)
        assert response.status_code == 400
        assert "Choose one of the listed orders." in response.content.decode()


class TestFormality:
    def test_each_cell_says_how_far_its_position_has_gone(self, small_world, client):
        html = client.get("/", {"nation": "fr"}).content.decode()
        assert "France, Troops: committed" in html and "formality: signed agreement." in html
        assert 'class="pips pips-delivered"></span>' in html
        assert "formality: delivered or deployed</dd>" in html  # the legend

    def test_only_signed_or_more(self, small_world, client):
        html = client.get("/", {"formality_min": "agreement"}).content.decode()
        assert rows(html) == ["France"]
        assert html.count('class="cell-link"') == 2

    def test_the_api_and_csv_take_the_same_filter(self, small_world, client):
        api = client.get("/api/v1/matrix/", {"formality_min": "declaration"}).json()
        assert {(r["nation"], r["type"]) for r in api["results"]} == {
            ("FR", "troops"),
            ("FR", "air"),
            ("DE", "air"),
        }
        csv_rows = client.get("/matrix.csv", {"formality_min": "approved"}).content.decode()
        assert csv_rows.count("\n") == 2  # the header and France's air support

    def test_unknown_formality_is_a_400(self, small_world, client):
        response = client.get("/", {"formality_min": "rumour"})
        assert response.status_code == 400
        assert "Unknown formality: rumour." in response.content.decode()


class TestWhatItShows:
    def test_how_many_of_the_tracked_nations_have_a_position(self, small_world, client):
        html = client.get("/", {"stance": "declined"}).content.decode()
        assert "<strong>4 of 5 tracked nations</strong> have a recorded position" in html
        assert "2 are shown, with 2 positions" in html
        assert 'href="/methodology/">What counts as a position</a>' in html

    def test_a_date_before_the_record_says_when_it_starts(self, small_world, client):
        html = client.get("/", {"as_of": "2025-01-01", "stance": "open"}).content.decode()
        assert "No positions recorded before" in html and "4 September 2025" in html

    def test_an_empty_result_offers_to_remove_each_filter(self, small_world, client):
        html = client.get("/", {"nation": "MT", "stance": "open", "sort": "committed"})
        html = html.content.decode()
        assert "No nation has a stated position matching these filters." in html
        assert 'href="?stance=open&amp;sort=committed">without “Nations”</a>' in html
        assert 'href="?nation=MT&amp;sort=committed">without “Stances”</a>' in html

    def test_a_nation_without_a_position_says_so(self, small_world, client):
        html = client.get("/nations/is/").content.decode()
        assert "No position recorded for Iceland" in html


class TestTheAddress:
    def test_empty_parameters_are_dropped_from_a_form_sent_without_javascript(
        self, small_world, client
    ):
        response = client.get("/?nation=FR&q=&as_of=&stance=&sort=&stance=open")
        assert response.status_code == 302
        assert response["Location"] == "/?nation=FR&stance=open"
        assert client.get("/?q=").headers["Location"] == "/"
        assert client.get("/?nation=FR").status_code == 200


def test_the_page_keeps_its_checkboxes_after_the_api_schema_read_the_filters(small_world, client):
    # drf-spectacular reads every filter's field, which django-filter then keeps per class.
    assert client.get("/api/v1/schema/", {"format": "json"}).status_code == 200
    html = client.get("/").content.decode()
    for name, value in [
        ("nation", "FR"),
        ("bloc", "eu"),
        ("type", "air"),
        ("formality", "agreement"),
    ]:
        assert f'<input type="checkbox" name="{name}" value="{value}"' in html, name
    assert '<option value="agreement">signed</option>' in html
    assert "approved by parliament or government</label>" not in html
