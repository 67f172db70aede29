"""Editors curate in the admin; everyone else can only read the public pages."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group, User
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from pledges.models import Pledge

CURATED = ["bloc", "nation", "leader", "pledgetype", "condition", "source", "quote", "pledge"]


@pytest.fixture
def editor(db):
    user = User.objects.create_user("ed", password="a-long-editor-password")
    user.is_staff = True
    user.save()
    user.groups.add(Group.objects.get(name="Editors"))
    return user


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


@pytest.mark.parametrize("model", CURATED)
def test_editor_can_list_add_and_search(editor_client, seeded, model):
    changelist = reverse(f"admin:pledges_{model}_changelist")
    assert editor_client.get(changelist).status_code == 200
    assert editor_client.get(changelist, {"q": "Italy"}).status_code == 200
    assert editor_client.get(reverse(f"admin:pledges_{model}_add")).status_code == 200


def test_pledge_change_page_has_quote_inline_and_autocomplete(editor_client, seeded):
    pledge = Pledge.objects.get(nation__iso2="FR", pledge_type__slug="guarantee")
    html = editor_client.get(reverse("admin:pledges_pledge_change", args=[pledge.pk])).content
    html = html.decode()
    assert "Quotes (evidence)" in html
    assert "admin-autocomplete" in html
    assert "The day the conflict stops" in html


def test_autocomplete_finds_nations(editor_client, seeded):
    response = editor_client.get(
        reverse("admin:autocomplete"),
        {"term": "Ital", "app_label": "pledges", "model_name": "pledge", "field_name": "nation"},
    )
    assert [r["text"] for r in response.json()["results"]] == ["Italy"]


def test_change_is_recorded_with_who_and_what(editor_client, editor, seeded):
    pledge = Pledge.objects.get(nation__iso2="IT", pledge_type__slug="troops")
    url = reverse("admin:pledges_pledge_change", args=[pledge.pk])
    data = {
        "nation": pledge.nation_id,
        "pledge_type": pledge.pledge_type_id,
        "stance": "conditional",
        "formality": "statement",
        "leader": pledge.leader_id,
        "announced_on": "2025-09-04",
        "summary": pledge.summary,
        "sources": [s.pk for s in pledge.sources.all()],
        "Pledge_quotes-TOTAL_FORMS": "0",
        "Pledge_quotes-INITIAL_FORMS": "0",
        "version": pledge.updated_at.isoformat(),
    }
    versions = pledge.history.count()
    refused = editor_client.post(url, data)
    assert refused.status_code == 200  # the form again, asking why
    assert "This field is required." in refused.content.decode()
    assert pledge.history.count() == versions
    data["change_reason"] = "Meloni set a condition, not a refusal."
    response = editor_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    latest = pledge.history.latest()
    assert latest.history_user == editor
    assert latest.stance == "conditional"
    assert latest.prev_record.stance == "declined"
    assert latest.history_change_reason == "Meloni set a condition, not a refusal."
    history_page = editor_client.get(
        reverse("admin:pledges_pledge_history", args=[pledge.pk])
    ).content.decode()
    assert "ed" in history_page


def test_staff_without_the_editors_group_cannot_change(client, seeded):
    user = User.objects.create_user("visitor", password="x-long-password-123", is_staff=True)
    client.force_login(user)
    assert client.get(reverse("admin:pledges_pledge_changelist")).status_code == 403


def test_anonymous_is_sent_to_login(client, seeded):
    response = client.get(reverse("admin:pledges_pledge_changelist"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_create_editor_command(db, monkeypatch):
    monkeypatch.setenv("PLEDGEWATCH_EDITOR_PASSWORD", "correct-horse-battery-staple")
    call_command("create_editor", "alice")
    alice = User.objects.get(username="alice")
    assert alice.is_staff and not alice.is_superuser
    assert alice.groups.filter(name="Editors").exists()
    assert alice.check_password("correct-horse-battery-staple")


def test_create_editor_refuses_weak_password(db, monkeypatch):
    monkeypatch.setenv("PLEDGEWATCH_EDITOR_PASSWORD", "12345")
    with pytest.raises(CommandError, match="too short"):
        call_command("create_editor", "bob")
    assert not User.objects.filter(username="bob").exists()


def test_a_pledge_is_deleted_only_with_a_public_reason(editor_client, seeded):
    pledge = Pledge.objects.get(nation__iso2="IT", pledge_type__slug="troops")
    url = reverse("admin:pledges_pledge_delete", args=[pledge.pk])
    assert 'name="change_reason"' in editor_client.get(url).content.decode()
    refused = editor_client.post(url, {"post": "yes", "change_reason": "  "})
    assert refused.status_code == 400
    assert "Give the public reason" in refused.content.decode()
    assert Pledge.objects.filter(pk=pledge.pk).exists()
    response = editor_client.post(url, {"post": "yes", "change_reason": "Not in the source."})
    assert response.status_code == 302
    assert not Pledge.objects.filter(pk=pledge.pk).exists()
    removal = Pledge.history.filter(id=pledge.pk).latest()
    assert removal.history_type == "-"
    assert removal.history_change_reason == "Not in the source."
    changelist = editor_client.get(reverse("admin:pledges_pledge_changelist")).content.decode()
    assert "delete_selected" not in changelist
