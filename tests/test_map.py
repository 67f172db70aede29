"""The map page as a reader gets it without JavaScript: one commitment's stances drawn as
patterned shapes that link to their cells, a legend in words and a table saying the same."""

from __future__ import annotations

import datetime as dt
import gzip
import json
import re

import pytest
from django.conf import settings

import pledges.maps
from pledges.models import Nation, PledgeType

from .factories import PledgeFactory


def svg_of(html: str) -> str:
    start = html.index('<svg class="world-map"')
    return html[start : html.index("</svg>", start)]


def view_box(html: str) -> tuple[float, ...]:
    return tuple(float(n) for n in re.search(r'world-map" viewBox="([^"]+)"', html)[1].split())


def linked_areas(html: str) -> dict[str, str]:
    """What each linked shape on the map says, by the cell it opens: {url: "France: open"}."""
    return dict(re.findall(r'<a href="([^"]+)"><title>([^<]+)</title>', svg_of(html)))


def text_of(fragment: str) -> str:
    """What a reader reads: no tags, no stance symbols, single spaces."""
    return " ".join(re.sub(r"<[^>]+>|[✔◐◇✕]", " ", fragment).split())


def table_rows(html: str) -> list[str]:
    """The text table's rows as plain text, e.g. "France open statement Evidence for France"."""
    table = html[html.index('<table class="plain">') : html.index("</table>")]
    return [text_of(row) for row in re.findall(r'<tr><th scope="row">(.*?)</tr>', table, re.S)]


@pytest.mark.usefixtures("seeded")
class TestMapFromSeed:
    def test_shows_each_stance_on_troops_linked_to_its_cell(self, client):
        response = client.get("/map/?type=troops")
        html = response.content.decode()
        assert response.status_code == 200
        assert linked_areas(html) == {
            "/cells/DE/troops/": "Germany: conditional",
            "/cells/FR/troops/": "France: open",
            "/cells/GB/troops/": "United Kingdom: open",
            "/cells/IT/troops/": "Italy: declined",
        }
        assert re.search(r'<path class="area stance-declined" d="m[^"]+"/></a>', svg_of(html))
        # Every other shape is drawn, unlinked, as having no position.
        assert svg_of(html).count('class="area no-position"') > 200

    def test_says_which_commitment_it_shows_and_offers_the_others(self, client):
        html = client.get("/map/?type=troops").content.decode()
        assert "Showing <strong>Troops</strong>" in html
        assert '<option value="troops" selected>Troops</option>' in html
        assert '<option value="air">' in html
        assert "4 of 249 tracked nations have a position on Troops." in html

    def test_the_legend_says_each_pattern_in_words(self, client):
        html = client.get("/map/?type=troops").content.decode()
        legend = html[html.index('<section class="map-legend"') : html.index("</section>")]
        for pattern, stance, count in [
            ("solid", "committed", "0 nations"),
            ("lines", "open", "2 nations"),
            ("dots", "conditional", "1 nation"),
            ("hatched", "declined", "1 nation"),
        ]:
            assert f"{stance} {pattern}:" in text_of(legend)
            assert re.search(rf"{stance} {pattern}:[^()]+\({count}\)", text_of(legend))
            # The swatches have their own patterns: the map's scale with its framing.
            assert f'<rect class="key stance-{stance}"' in legend
            assert f'<pattern id="key-{stance}"' in legend
            assert f'<pattern id="map-{stance}"' in svg_of(html)
        assert "no stated position" in legend

    def test_the_table_lists_every_position_in_words(self, client):
        html = client.get("/map/?type=troops").content.decode()
        assert table_rows(html) == [
            "France open statement Evidence for France",
            "Germany conditional statement Evidence for Germany",
            "Italy declined statement Evidence for Italy",
            "United Kingdom open statement Evidence for United Kingdom",
        ]
        assert '<a href="/nations/IT/">Italy</a>' in html
        assert '<a href="/cells/IT/troops/">Evidence' in html

    def test_is_framed_on_the_nations_with_a_position(self, client):
        europe = view_box(client.get("/map/?type=troops").content.decode())
        left, top, width, height = europe
        assert width < 1010 / 3 and round(width / height, 2) == round(1010 / 666, 2)
        # Where France's outline begins, and Italy's heel, are in view; America is not.
        assert left < 482.9 < left + width and top < 298.1 < top + height
        assert left < 527 < left + width and left > 287
        nowhere = client.get("/map/?type=troops&as_of=2025-01-01").content.decode()
        assert view_box(nowhere) == (0, 0, 1010, 666)

    def test_without_a_type_shows_the_first_commitment(self, client):
        html = client.get("/map/").content.decode()
        assert "Showing <strong>Troops</strong>" in html
        assert "/cells/IT/troops/" in linked_areas(html)

    def test_of_several_types_shows_the_first_in_column_order(self, client):
        html = client.get("/map/?type=guarantee&type=troops").content.decode()
        assert "Showing <strong>Troops</strong>" in html
        html = client.get("/map/?type=guarantee&type=sanctions").content.decode()
        assert "Showing <strong>Sanctions</strong>" in html
        assert linked_areas(html) == {"/cells/US/sanctions/": "United States: committed"}

    def test_stance_bloc_and_date_filters_narrow_the_map(self, client):
        declined = client.get("/map/?type=troops&stance=declined").content.decode()
        assert linked_areas(declined) == {"/cells/IT/troops/": "Italy: declined"}
        assert "1 of 249 tracked nations has a position on Troops matching these" in declined

        html = client.get("/map/?type=guarantee&bloc=g7").content.decode()
        assert set(linked_areas(html)) == {"/cells/DE/guarantee/", "/cells/FR/guarantee/"} | {
            "/cells/US/guarantee/"
        }
        assert "3 of 7 tracked nations have a position on Guarantee" in html

        before = client.get("/map/?type=troops&as_of=2025-01-01").content.decode()
        assert linked_areas(before) == {}
        assert "No nation has a stated position on Troops matching these filters." in before

    def test_a_chosen_date_carries_into_the_cells(self, client):
        html = client.get("/map/?type=troops&as_of=2025-10-01").content.decode()
        assert "/cells/IT/troops/?as_of=2025-10-01" in linked_areas(html)
        assert 'as of <time datetime="2025-10-01">1 October 2025</time>' in html

    def test_the_type_picker_keeps_the_other_filters(self, client):
        html = client.get("/map/?type=troops&bloc=g7&stance=open&stance=declined").content.decode()
        picker = html[html.index('<form class="map-picker"') : html.index("</form>")]
        assert 'method="get" action="/map/"' in picker
        hidden = re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)">', picker)
        assert hidden == [("bloc", "g7"), ("stance", "open"), ("stance", "declined")]
        assert '<a href="/?bloc=g7&amp;stance=open&amp;stance=declined&amp;type=troops">' in html

    def test_reflected_filters_are_escaped(self, client):
        html = client.get("/map/", {"type": "troops", "q": '"><script>x</script>'}).content
        assert b"<script>x</script>" not in html
        assert b'name="q" value="&quot;&gt;&lt;script&gt;x&lt;/script&gt;"' in html

    @pytest.mark.parametrize(
        ("query", "message"),
        [
            ("type=teleportation", "Unknown commitment type: teleportation."),
            ("stance=maybe", "Unknown stance: maybe."),
            ("bloc=atlantis", "Unknown bloc: atlantis."),
            ("as_of=2025-13-45", "Enter the date as YYYY-MM-DD."),
        ],
    )
    def test_bad_parameter_is_a_clear_400(self, client, query, message):
        response = client.get(f"/map/?{query}")
        html = response.content.decode()
        assert response.status_code == 400
        assert message in html
        assert '<svg class="world-map"' not in html

    def test_head_answers_and_post_is_refused(self, client):
        head = client.head("/map/?type=troops")
        assert head.status_code == 200 and head.content == b""
        assert client.post("/map/?type=troops").status_code == 405

    def test_a_nation_too_small_for_the_map_is_in_the_table(self, client):
        PledgeFactory(
            nation=Nation.objects.get(iso2="VA"),
            pledge_type=PledgeType.objects.get(slug="troops"),
            stance="declined",
            announced_on=dt.date(2025, 9, 1),
        )
        html = client.get("/map/?type=troops").content.decode()
        assert "/cells/VA/troops/" not in linked_areas(html)
        assert "Vatican City not on the map declined statement Evidence for Vatican City" in (
            table_rows(html)
        )
        assert "5 of 249 tracked nations" in html

    def test_a_reader_gets_it_gzipped_and_an_editor_plain(self, client, django_user_model):
        plain = client.get("/map/?type=troops")
        packed = client.get("/map/?type=troops", headers={"Accept-Encoding": "gzip"})
        assert packed["Content-Encoding"] == "gzip"
        assert "Accept-Encoding" in packed["Vary"]
        assert gzip.decompress(packed.content) == plain.content
        assert len(packed.content) < len(plain.content) / 3
        # An editor's page carries their CSRF token: never compressed beside reflected input.
        client.force_login(django_user_model.objects.create_user("ed", is_staff=True))
        editor = client.get("/map/?type=troops&q=x", headers={"Accept-Encoding": "gzip"})
        assert editor.status_code == 200 and not editor.has_header("Content-Encoding")
        assert b"x-csrftoken" in editor.content

    def test_credits_the_map(self, client):
        html = client.get("/map/").content.decode()
        assert '@svg-maps/world</a> by <a href="https://mapsvg.com/">MapSVG</a>' in html
        assert "CC BY 4.0" in html

    def test_the_site_navigation_links_to_the_map(self, client):
        assert '<a href="/map/">Map</a>' in client.get("/").content.decode()


def test_without_commitment_types_says_so(db, client):
    response = client.get("/map/")
    assert response.status_code == 200
    assert "No kinds of commitment are recorded yet." in response.content.decode()


def test_queries_stay_few_on_a_large_record(client, big_matrix, django_assert_num_queries):
    # The type asked for, the types offered, the latest pledges, the nations counted.
    with django_assert_num_queries(4):
        html = client.get("/map/?type=kind-3").content.decode()
    assert "50 of 50 tracked nations have a position on Kind 3." in html
    assert len(table_rows(html)) == 50
    world = json.loads((settings.BASE_DIR / "static" / pledges.maps.MAP_FILE).read_text())
    shapes = {shape["id"] for shape in world["locations"]}
    on_map = {nation.iso2 for nation in big_matrix["nations"] if nation.iso2.lower() in shapes}
    assert set(linked_areas(html)) == {f"/cells/{code}/kind-3/" for code in on_map}
    assert len(on_map) > 20


def test_empty_parameters_are_dropped_from_the_address(seeded, client):
    response = client.get("/map/?type=troops&stance=&as_of=")
    assert response.status_code == 302 and response["Location"] == "/map/?type=troops"
