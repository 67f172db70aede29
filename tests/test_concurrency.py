"""Two editors at once, each on their own PostgreSQL connection (one thread each): one
consistent result, and a clear message to the one who came second.

Review decisions are claimed with a row lock (ingest.services.review); the pledge admin
locks the row and compares the version the editor opened (pledges.admin.PledgeForm).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

import pytest
from django.contrib.auth.models import User
from django.db import connection, connections
from django.test import Client
from django.urls import reverse

from ingest import services
from ingest.models import Candidate
from pledges.admin import PledgeAdmin
from pledges.models import Pledge

from .factories import NationFactory, PledgeFactory, PledgeTypeFactory, SourceFactory
from .services import require_postgres

HTMX = {"HX-Request": "true"}


@pytest.fixture
def editors(transactional_db):
    require_postgres()
    return [
        User.objects.create_superuser(name, password="a-long-editor-password")
        for name in ("alice", "bob")
    ]


@pytest.fixture
def candidate(editors) -> Candidate:
    return Candidate.objects.create(
        source=SourceFactory(),
        nation=NationFactory(iso2="IT", name="Italy"),
        pledge_type=PledgeTypeFactory(slug="training", name="Training"),
        stance="open",
        confidence=0.9,
        evidence="Italy offered to train Ukrainian forces outside the country.",
        evidence_start=0,
        evidence_end=60,
    )


def in_threads(*work: Callable[[], object]) -> list[object]:
    """Run each callable in its own thread (so on its own database connection), all
    released at once; return their results, or the exceptions they raised."""
    barrier = threading.Barrier(len(work))
    results: list[object] = [None] * len(work)

    def run(index: int, job: Callable[[], object]) -> None:
        try:
            barrier.wait(timeout=10)
            results[index] = job()
        except Exception as error:  # reported to the test below
            results[index] = error
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=run, args=(i, job), name=f"editor-{i}")
        for i, job in enumerate(work)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def wait_for_a_blocked_connection(timeout: float = 10) -> None:
    """Until some other connection waits for a row lock (proof the two really overlap)."""
    deadline = time.monotonic() + timeout
    with connection.cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute("SELECT count(*) FROM pg_locks WHERE NOT granted")
            if cursor.fetchone()[0]:
                return
            time.sleep(0.05)
    pytest.fail("the second editor never had to wait for the first")


def logged_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.postgres
def test_two_editors_accept_the_same_candidate_at_once(editors, candidate):
    clients = {user.username: logged_in(user) for user in editors}
    url = f"/review/candidates/{candidate.pk}/accept/"
    responses = in_threads(*(lambda c=c: c.post(url, headers=HTMX) for c in clients.values()))
    assert sorted(r.status_code for r in responses) == [200, 409], responses
    winner = next(name for name, r in zip(clients, responses) if r.status_code == 200)
    loser = next(r for r in responses if r.status_code == 409)
    assert f"already accepted by {winner}" in loser.content.decode()
    candidate.refresh_from_db()
    assert candidate.status == "accepted" and candidate.decided_by.username == winner
    assert Pledge.objects.count() == 1
    assert candidate.pledge.sources.count() == 1


@pytest.mark.postgres
def test_the_second_editor_waits_for_the_first_then_sees_the_decision(editors, candidate):
    """The first editor's transaction holds the claim; the second blocks on it and, once
    the first commits, is told who decided rather than deciding again."""
    alice, bob = editors
    claimed, release = threading.Event(), threading.Event()

    def first() -> Pledge:
        from django.db import transaction

        with transaction.atomic():
            pledge = services.candidate_accept(candidate.pk, editor=alice)
            claimed.set()
            release.wait(timeout=30)
        return pledge

    def second() -> object:
        claimed.wait(timeout=30)
        return services.candidate_reject(candidate.pk, editor=bob)

    results: list[object] = []
    runner = threading.Thread(target=lambda: results.extend(in_threads(first, second)))
    runner.start()
    claimed.wait(timeout=30)
    wait_for_a_blocked_connection()
    release.set()
    runner.join(timeout=60)
    pledge, refused = results
    assert isinstance(pledge, Pledge)
    assert isinstance(refused, services.AlreadyDecided)
    assert str(refused) == "This candidate was already accepted by alice."
    candidate.refresh_from_db()
    assert candidate.status == "accepted" and candidate.decided_by == alice


def change_form_data(client: Client, pledge: Pledge, summary: str) -> dict:
    """What the change page holds when an editor opens it, with the summary retyped."""
    url = reverse("admin:pledges_pledge_change", args=[pledge.pk])
    form = client.get(url).context["adminform"].form
    return {
        "nation": pledge.nation_id,
        "pledge_type": pledge.pledge_type_id,
        "stance": pledge.stance,
        "formality": pledge.formality,
        "announced_on": pledge.announced_on.isoformat(),
        "summary": summary,
        "version": form["version"].value(),
        "change_reason": "The summary misread the source.",
        "Pledge_quotes-TOTAL_FORMS": "0",
        "Pledge_quotes-INITIAL_FORMS": "0",
    }


@pytest.mark.postgres
def test_two_editors_save_the_same_pledge_at_once(editors, monkeypatch):
    """Both open the pledge, then both save. Alice's save is held open inside its
    transaction until Bob's has reached the database and is waiting: Bob is refused with
    who changed it and when, and Alice's change is the one kept."""
    pledge = PledgeFactory(summary="Open to training.")
    alice, bob = (logged_in(user) for user in editors)
    url = reverse("admin:pledges_pledge_change", args=[pledge.pk])
    alice_data = change_form_data(alice, pledge, "Alice: training from outside the country.")
    bob_data = change_form_data(bob, pledge, "Bob: training inside the country.")
    history_before = pledge.history.count()

    saved, release = threading.Event(), threading.Event()
    save_model = PledgeAdmin.save_model

    def save_and_hold(self, request, obj, form, change):
        save_model(self, request, obj, form, change)
        if request.user.username == "alice":
            saved.set()
            release.wait(timeout=30)

    monkeypatch.setattr(PledgeAdmin, "save_model", save_and_hold)

    def bob_saves():
        saved.wait(timeout=30)
        return bob.post(url, bob_data)

    results: list[object] = []
    runner = threading.Thread(
        target=lambda: results.extend(in_threads(lambda: alice.post(url, alice_data), bob_saves))
    )
    runner.start()
    saved.wait(timeout=30)
    wait_for_a_blocked_connection()
    release.set()
    runner.join(timeout=60)

    alice_response, bob_response = results
    assert alice_response.status_code == 302, alice_response
    assert bob_response.status_code == 200
    page = bob_response.content.decode()
    assert "This pledge was changed by alice at " in page
    assert "since you opened it; reload the page" in page
    pledge.refresh_from_db()
    assert pledge.summary == "Alice: training from outside the country."
    assert pledge.history.count() == history_before + 1


@pytest.mark.django_db
def test_a_stale_pledge_form_is_refused_and_a_fresh_one_saves(admin_client, admin_user):
    """The version check alone, on any database: open, someone saves, save."""
    pledge = PledgeFactory(summary="Open to training.")
    url = reverse("admin:pledges_pledge_change", args=[pledge.pk])
    stale = change_form_data(admin_client, pledge, "Mine.")
    other = change_form_data(admin_client, pledge, "Theirs.")
    assert admin_client.post(url, other).status_code == 302
    response = admin_client.post(url, stale)
    assert response.status_code == 200
    assert f"This pledge was changed by {admin_user.username} at " in response.content.decode()
    pledge.refresh_from_db()
    assert pledge.summary == "Theirs."
    fresh = change_form_data(admin_client, pledge, "Mine, after reloading.")
    assert admin_client.post(url, fresh).status_code == 302
    pledge.refresh_from_db()
    assert pledge.summary == "Mine, after reloading."
