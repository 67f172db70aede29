"""The cached matrix: every write shows at once, nothing leaks between users, and a repeat
visit is answered with 304."""

from __future__ import annotations

import datetime as dt
import gzip
import time

import psycopg
import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import Group, User
from django.core.management import call_command
from django.db import connection

from ingest.gazetteers import known_names
from ingest.models import Candidate
from ingest.services import candidate_accept
from pledges import matrix_cache
from pledges.data_version import COUNTED_TABLES, data_version
from pledges.models import Bloc, Nation, Pledge, PledgeType, Quote, Source, Stance

from .factories import SourceFactory
from .services import require_postgres
from .test_views import cell_text

HTMX = {"HX-Request": "true"}


def editor(username: str = "ed") -> User:
    user = User.objects.create_user(username, password="a-long-editor-password", is_staff=True)
    user.groups.add(Group.objects.get(name="Editors"))
    return user


def page(client, query: str = "", **headers) -> str:
    response = client.get(f"/{query}", headers=headers)
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.usefixtures("seeded")
class TestEveryWriteShows:
    def test_stance_change_saved_through_the_model(self, client):
        assert cell_text(page(client), "Italy", "Troops") == "declined"
        pledge = Pledge.objects.get(nation__iso2="IT", pledge_type__slug="troops")
        pledge.stance = Stance.OPEN
        pledge.save()
        assert cell_text(page(client), "Italy", "Troops") == "open"

    def test_new_and_deleted_pledges(self, client):
        page(client)
        Pledge.objects.create(
            nation=Nation.objects.get(iso2="PL"),
            pledge_type=PledgeType.objects.get(slug="air"),
            stance=Stance.COMMITTED,
            announced_on=dt.date(2025, 9, 5),
        )
        assert cell_text(page(client), "Poland", "Air") == "committed"
        Pledge.objects.filter(nation__iso2="PL").delete()
        assert "Poland" not in page(client)

    def test_a_source_added_to_a_pledge_changes_the_count(self, client):
        assert "Italy, Troops: declined, 1 source," in page(client, "?nation=IT")
        Pledge.objects.get(nation__iso2="IT", pledge_type__slug="troops").sources.add(
            SourceFactory()
        )
        assert "Italy, Troops: declined, 2 sources," in page(client, "?nation=IT")

    def test_bloc_membership_shows_in_the_bloc_filter(self, client):
        query = "?bloc=g7&type=troops"
        assert "Italy" in page(client, query, **HTMX)
        Nation.objects.get(iso2="IT").blocs.remove(Bloc.objects.get(slug="g7"))
        assert "Italy" not in page(client, query, **HTMX)

    def test_admin_edit_of_a_pledge_type(self, client, admin_client):
        page(client)
        troops = PledgeType.objects.get(slug="troops")
        response = admin_client.post(
            f"/admin/pledges/pledgetype/{troops.pk}/change/",
            {
                "slug": "troops",
                "name": "Boots on the ground",
                "description": troops.description,
                "order": troops.order,
                "signals": '["troops"]',
            },
        )
        assert response.status_code == 302
        assert cell_text(page(client), "France", "Boots on the ground") == "open"

    def test_accepting_a_candidate_from_the_review_queue(self, client):
        call_command("ingest_file", "seeds/000_ac9b6a256edaf299.txt")
        Pledge.objects.filter(nation__iso2="IT").delete()
        assert "Italy" not in page(client)
        italy = Candidate.objects.get(nation__iso2="IT", pledge_type__slug="troops")
        candidate_accept(italy.pk, editor=editor())
        assert cell_text(page(client), "Italy", "Troops") == "declined"

    def test_tomorrow_is_a_new_page(self, client, monkeypatch):
        from django.utils import timezone

        future = Pledge.objects.get(nation__iso2="IT", pledge_type__slug="troops")
        Pledge.objects.create(
            nation=future.nation,
            pledge_type=future.pledge_type,
            stance=Stance.OPEN,
            announced_on=timezone.localdate() + dt.timedelta(days=1),
        )
        assert cell_text(page(client), "Italy", "Troops") == "declined"
        tomorrow = timezone.localdate() + dt.timedelta(days=1)
        monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: tomorrow)
        assert cell_text(page(client), "Italy", "Troops") == "open"


@pytest.mark.usefixtures("seeded")
class TestNothingLeaksBetweenUsers:
    def test_editor_header_is_not_served_to_readers(self, client):
        other = client.__class__()
        other.force_login(editor())
        assert "Review queue" in page(other)
        assert "Review queue" not in page(client)

    def test_reader_page_is_not_served_to_editors(self, client):
        assert "Review queue" not in page(client)
        client.force_login(editor())
        assert "Review queue" in page(client)

    def test_each_editor_gets_their_own_csrf_token(self, client):
        client.force_login(editor())
        first = page(client).split('"x-csrftoken": "')[1].split('"')[0]
        other = client.__class__()
        other.force_login(editor("other"))
        second = page(other).split('"x-csrftoken": "')[1].split('"')[0]
        assert first != second

    def test_readers_share_one_page_that_holds_no_token(self, client):
        response = client.get("/")
        assert "csrftoken" not in response.cookies
        assert "x-csrftoken" not in response.content.decode()
        assert client.__class__().get("/").content == response.content


@pytest.mark.usefixtures("seeded")
class TestConditionalGet:
    def test_repeat_visit_gets_304_without_the_page(self, client):
        first = client.get("/")
        repeat = client.get("/", headers={"If-None-Match": first["ETag"]})
        assert repeat.status_code == 304 and repeat.content == b""
        assert repeat["ETag"] == first["ETag"]

    def test_a_write_makes_the_old_etag_stale(self, client):
        etag = client.get("/")["ETag"]
        pledge = Pledge.objects.get(nation__iso2="IT", pledge_type__slug="troops")
        pledge.summary = "Reworded."
        pledge.save()
        response = client.get("/", headers={"If-None-Match": etag})
        assert response.status_code == 200 and response["ETag"] != etag

    def test_partial_and_page_have_their_own_etags(self, client):
        full = client.get("/?type=troops")
        partial = client.get("/?type=troops", headers=HTMX)
        assert full["ETag"] != partial["ETag"]
        assert "HX-Request" in partial["Vary"]
        again = client.get("/?type=troops", headers={**HTMX, "If-None-Match": partial["ETag"]})
        assert again.status_code == 304

    def test_other_filters_have_other_etags(self, client):
        assert client.get("/?type=troops")["ETag"] != client.get("/?type=air")["ETag"]

    def test_login_changes_the_etag(self, client):
        etag = client.get("/")["ETag"]
        client.force_login(editor())
        response = client.get("/", headers={"If-None-Match": etag})
        assert response.status_code == 200 and "Review queue" in response.content.decode()

    def test_bad_filter_is_not_cached(self, client):
        response = client.get("/?as_of=yesterday")
        assert response.status_code == 400 and not response.has_header("ETag")

    def test_a_page_with_a_message_is_not_revalidated(self, client):
        client.force_login(editor())
        etag = client.get("/")["ETag"]
        call_command("ingest_file", "seeds/000_ac9b6a256edaf299.txt")
        italy = Candidate.objects.get(nation__iso2="IT", pledge_type__slug="training")
        client.post(f"/review/candidates/{italy.pk}/accept/")
        response = client.get("/", headers={"If-None-Match": etag})
        assert response.status_code == 200
        assert not response.has_header("ETag")


def test_cached_page_reads_one_query_whatever_the_data_size(
    client, big_matrix, django_assert_max_num_queries
):
    client.get("/")
    with django_assert_max_num_queries(1):
        html = client.get("/").content.decode()
    assert html.count('class="cell-link"') == 500


@pytest.mark.usefixtures("seeded")
class TestCompressedForReaders:
    GZIP = {"Accept-Encoding": "gzip, deflate, br"}

    def test_a_browser_gets_the_same_page_gzipped(self, client):
        plain = client.get("/")
        compressed = client.get("/", headers=self.GZIP)
        assert compressed["Content-Encoding"] == "gzip"
        assert gzip.decompress(compressed.content) == plain.content
        assert len(compressed.content) < len(plain.content) / 3
        assert int(compressed["Content-Length"]) == len(compressed.content)
        assert "Accept-Encoding" in compressed["Vary"]
        assert not plain.has_header("Content-Encoding")

    def test_one_etag_for_both_encodings(self, client):
        etag = client.get("/", headers=self.GZIP)["ETag"]
        assert etag.startswith('W/"')
        repeat = client.get("/", headers={"If-None-Match": etag})
        assert repeat.status_code == 304 and "Accept-Encoding" in repeat["Vary"]

    @pytest.mark.parametrize("header", ["identity", "gzip;q=0", "*;q=0", "br", "gzip;q=x"])
    def test_no_gzip_where_it_is_refused(self, client, header):
        response = client.get("/", headers={"Accept-Encoding": header})
        assert not response.has_header("Content-Encoding")
        assert "Commitment matrix" in response.content.decode()

    def test_the_htmx_partial_is_compressed_too(self, client):
        response = client.get("/?type=troops", headers={**HTMX, **self.GZIP})
        html = gzip.decompress(response.content).decode()
        assert html.lstrip().startswith('<section id="matrix"')

    def test_a_write_shows_in_the_compressed_page(self, client):
        client.get("/", headers=self.GZIP)
        pledge = Pledge.objects.get(nation__iso2="IT", pledge_type__slug="troops")
        pledge.stance = Stance.OPEN
        pledge.save()
        html = gzip.decompress(client.get("/", headers=self.GZIP).content).decode()
        assert cell_text(html, "Italy", "Troops") == "open"

    def test_editors_get_their_own_page_uncompressed(self, client):
        client.force_login(editor())
        response = client.get("/", headers=self.GZIP)
        assert not response.has_header("Content-Encoding")
        assert "Review queue" in response.content.decode()


@pytest.mark.usefixtures("seeded")
def test_each_process_keeps_a_bounded_number_of_pages(client, settings):
    settings.MATRIX_CACHE_ENTRIES = 2
    for query in ("?type=troops", "?type=air", "?type=training"):
        client.get(f"/{query}")
    assert matrix_cache.pages_kept() == 2
    # The least recently used went first; the newest is served from memory.
    assert cell_text(page(client, "?type=training"), "Italy", "Training") == "open"


@pytest.mark.usefixtures("seeded")
class TestDataVersion:
    """The version every cached matrix is keyed by, kept by database triggers."""

    def test_a_raw_sql_update_shows_at_once(self, client):
        assert cell_text(page(client), "Italy", "Troops") == "declined"
        with connection.cursor() as cursor:
            cursor.execute("UPDATE pledges_pledge SET stance = 'open' WHERE stance = 'declined'")
        assert cell_text(page(client), "Italy", "Troops") == "open"

    def test_a_queryset_update_shows_at_once(self, client):
        assert "Poland" not in page(client)
        Nation.objects.filter(iso2="IT").update(name="Repubblica Italiana")
        assert cell_text(page(client), "Repubblica Italiana", "Troops") == "declined"

    def test_a_repeat_visit_asks_the_database_nothing(self, client, django_assert_num_queries):
        page(client)
        with django_assert_num_queries(0):
            page(client)

    def test_another_process_write_shows_after_the_recheck_window(self, client, monkeypatch):
        assert cell_text(page(client), "Italy", "Troops") == "declined"
        # Straight through the database driver: a write this process's Django never saw.
        connection.connection.execute(
            "UPDATE pledges_pledge SET stance = 'open' WHERE stance = 'declined'"
        )
        assert cell_text(page(client), "Italy", "Troops") == "declined"
        later = time.monotonic() + settings.MATRIX_RECHECK_MS / 1000
        monkeypatch.setattr(time, "monotonic", lambda: later)
        assert cell_text(page(client), "Italy", "Troops") == "open"

    def test_new_evidence_keeps_the_cached_matrix_until_a_pledge_links_it(self):
        before = data_version()
        source = SourceFactory()
        quote = Quote.objects.create(
            text="Italy will not send troops.", speaker_role="an official", source=source
        )
        assert data_version() == before
        Pledge.objects.get(nation__iso2="IT", pledge_type__slug="troops").quotes.add(quote)
        assert data_version() != before

    def test_the_gazetteer_sees_a_queryset_update(self):
        # Writes no history row: a version read from the history tables would miss it.
        assert "Italia" not in _aliases_of("IT")
        Nation.objects.filter(iso2="IT").update(aliases=["Italia"])
        assert "Italia" in _aliases_of("IT")

    def test_a_pledge_write_keeps_the_gazetteer(self):
        names, matrix_version = known_names(), data_version()
        pledge = Pledge.objects.get(nation__iso2="IT", pledge_type__slug="troops")
        pledge.stance = Stance.OPEN
        pledge.save()
        assert data_version() != matrix_version
        assert known_names() is names

    def test_every_table_the_matrix_reads_is_counted(self):
        models = apps.get_app_config("pledges").get_models(include_auto_created=True)
        # History rows are written with the rows they record; sources are counted by the
        # pledge-source link table.
        tables = {
            model._meta.db_table
            for model in models
            if not model.__name__.startswith("Historical") and model is not Source
        }
        assert counted_tables() == tables == set(COUNTED_TABLES)
        if connection.vendor == "sqlite":  # one trigger per event, after every migration
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT COUNT(*) FROM sqlite_master"
                    " WHERE type = 'trigger' AND name LIKE 'pledges_matrix_changed_%'"
                )
                triggers = cursor.fetchone()[0]
            assert triggers == sum(len(events.split()) for events in COUNTED_TABLES.values())


def counted_tables() -> set[str]:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT event_object_table FROM information_schema.triggers"
                " WHERE trigger_name = 'pledges_matrix_changed'"
            )
        else:
            cursor.execute(
                "SELECT tbl_name FROM sqlite_master"
                " WHERE type = 'trigger' AND name LIKE 'pledges_matrix_changed_%'"
            )
        return {table for (table,) in cursor.fetchall()}


@pytest.mark.postgres
def test_a_commit_that_overtakes_an_older_one_still_changes_the_version(transactional_db):
    """PostgreSQL: of two editors' transactions, the one that wrote first commits last."""
    require_postgres()
    first, second = (psycopg.connect(**connection.get_connection_params()) for _ in range(2))
    with first, second:
        for editor_connection, name in ((first, "EU"), (second, "G20")):
            editor_connection.execute(
                "INSERT INTO pledges_bloc (slug, name, description) VALUES (%s, %s, '')",
                (name.lower(), name),
            )
        second.commit()
        after_second = data_version(), data_version(Bloc)
        first.commit()
        assert data_version() != after_second[0]
        assert data_version(Bloc) != after_second[1]


@pytest.mark.postgres
@pytest.mark.usefixtures("seeded")
def test_the_log_stays_short_and_keeps_each_tables_newest_change():
    require_postgres()
    Bloc.objects.filter(slug="g7").update(description="Seven.")
    for n in range(350):
        PledgeType.objects.filter(slug="troops").update(order=n)
    with connection.cursor() as cursor:
        cursor.execute("SELECT table_name, COUNT(*) FROM pledges_matrixchange GROUP BY 1")
        rows = dict(cursor.fetchall())
    # Pruned every 100 changes down to the last 100 and each table's newest.
    assert rows["pledges_bloc"] == 1 and sum(rows.values()) <= 200 + len(rows)
    before = data_version(Bloc)
    Bloc.objects.filter(slug="g7").update(description="The Seven.")
    assert data_version(Bloc) != before


def _aliases_of(iso2: str) -> tuple[str, ...]:
    return next(n.aliases for n in known_names().gazetteer.nations if n.iso2 == iso2)
