"""Ingestion's plain-SQL inserts write the rows and history rows the ORM and simple-history
would: the same values in every column but the ids and creation times."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from simple_history.utils import bulk_create_with_history

from ingest.models import Candidate
from ingest.storage import insert_with_history
from pledges.models import Quote, Source

from .factories import LeaderFactory, NationFactory, PledgeTypeFactory, SourceFactory

pytestmark = pytest.mark.django_db

# Differ between two inserts of the same objects by design.
VOLATILE = {"id", "created_at", "history_id", "history_date"}


def sources(context) -> list[Source]:
    return [
        Source(
            url=f"https://wire.example.org/{n}",
            title=f"Story {n}",
            outlet="Wire",
            published_on=dt.date(2025, 9, n + 1),
            text=f"Story {n}: Denmark will send two frigates.",
            content_hash=f"{n:064d}",
            fingerprint=[n, 2**32 - 1, 7],
            duplicate_of=context["original"] if n else None,
            extracted_at=dt.datetime(2025, 9, 5, 8, 30, tzinfo=dt.UTC) if n else None,
        )
        for n in range(2)
    ]


def quotes(context) -> list[Quote]:
    return [
        Quote(
            text="We are ready to lead a reassurance force.",
            text_hash="a" * 64,
            leader=context["leader"],
            source=context["original"],
            said_on=dt.date(2025, 9, 4),
            reviewed=False,
        ),
        Quote(
            text="Nothing is decided yet.",
            text_hash="b" * 64,
            speaker_role="a defence ministry official",
            nation=context["nation"],
            source=context["original"],
        ),
    ]


def candidates(context) -> list[Candidate]:
    return [
        Candidate(
            source=context["original"],
            nation=context["nation"],
            pledge_type=pledge_type,
            stance=stance,
            confidence=confidence,
            evidence="France and the UK were open to troop deployments.",
            evidence_start=10,
            evidence_end=60,
            conditions=conditions,
            speaker="Emmanuel Macron",
            leader=context["leader"],
        )
        for pledge_type, stance, confidence, conditions in [
            (context["types"][0], "open", 0.81, []),
            (context["types"][1], "conditional", 0.5, ["US backstop", "ceasefire"]),
        ]
    ]


@pytest.fixture
def context():
    nation = NationFactory()
    return {
        "nation": nation,
        "leader": LeaderFactory(nation=nation),
        "types": [PledgeTypeFactory(), PledgeTypeFactory()],
        "original": SourceFactory(),
    }


def stored(objs) -> tuple[list[dict], list[dict]]:
    """The rows of `objs` and their history rows, as dicts without the volatile columns."""
    model = type(objs[0])
    pks = [obj.pk for obj in objs]
    rows = model.objects.filter(pk__in=pks).order_by("pk").values()
    history = model.history.filter(id__in=pks).order_by("id").values()
    return (
        [{k: v for k, v in row.items() if k not in VOLATILE} for row in rows],
        [{k: v for k, v in row.items() if k not in VOLATILE} for row in history],
    )


@pytest.mark.parametrize("build", [sources, quotes, candidates])
def test_rows_and_history_are_what_the_orm_and_simple_history_write(context, build):
    with transaction.atomic():
        ours = insert_with_history(build(context))
        ours_stored = stored(ours)
        history = type(ours[0]).history.filter(id__in=[o.pk for o in ours])
        history_ids = list(history.order_by("id").values("id"))
        transaction.set_rollback(True)  # the same rows again next, through simple-history
    theirs = bulk_create_with_history(build(context), type(ours[0]))

    assert ours_stored == stored(theirs)
    assert len(ours_stored[0]) == len(ours_stored[1]) == 2
    assert [row["id"] for row in history_ids] == [obj.pk for obj in ours]
    assert all(obj.pk and not obj._state.adding for obj in ours)
    # auto_now_add is filled in, as save() and bulk_create() fill it in.
    assert all(getattr(obj, "created_at", True) for obj in ours)
    assert {row["history_type"] for row in ours_stored[1]} == {"+"}


def test_history_rows_name_the_user_simple_history_would(context):
    editor = get_user_model().objects.create_user("editor")
    objs = candidates(context)
    for obj in objs:
        obj._history_user = editor
    insert_with_history(objs)
    assert set(Candidate.history.values_list("history_user", flat=True)) == {editor.pk}


def statements_per_batch() -> int:
    # PostgreSQL inserts the history rows in the rows' statement (a data-modifying WITH).
    return 1 if connection.vendor == "postgresql" else 2


def test_one_batch_of_statements_for_any_number_of_rows_and_none_for_no_rows(context):
    with CaptureQueriesContext(connection) as queries:
        insert_with_history([])
    assert len(queries) == 0
    many = [*quotes(context), *quotes(context), *quotes(context)]
    for n, quote in enumerate(many):
        quote.text_hash = f"{n:064d}"
    with CaptureQueriesContext(connection) as queries:
        insert_with_history(many)
    assert len(queries) == statements_per_batch()
    assert Quote.objects.count() == len(many) == len({quote.pk for quote in many})
    assert Quote.history.filter(id__in=[quote.pk for quote in many]).count() == len(many)


def test_rows_whose_history_differs_each_get_their_own(context):
    # Per-row history users or dates cannot share one set of values: two statements then.
    editors = [get_user_model().objects.create_user(name) for name in ("ann", "bob")]
    objs = candidates(context)
    for obj, editor in zip(objs, editors, strict=True):
        obj._history_user = editor
    with CaptureQueriesContext(connection) as queries:
        insert_with_history(objs)
    assert len(queries) == 2
    users = dict(Candidate.history.values_list("id", "history_user"))
    assert users == {obj.pk: editor.pk for obj, editor in zip(objs, editors, strict=True)}


def test_more_rows_than_one_statement_may_bind_go_in_several(context, monkeypatch):
    monkeypatch.setattr(type(connection.features), "max_query_params", 50, raising=False)
    many = [quote for _ in range(4) for quote in quotes(context)]
    for n, quote in enumerate(many):
        quote.text_hash = f"{n:064d}"
    bound = []

    def count_params(execute, sql, params, executemany, context):
        bound.append(len(params or ()))
        return execute(sql, params, executemany, context)

    with connection.execute_wrapper(count_params):
        insert_with_history(many)
    assert max(bound) <= 50
    assert len(bound) > statements_per_batch()
    assert len(bound) % statements_per_batch() == 0
    assert len({quote.pk for quote in many}) == 8
    assert Quote.history.filter(id__in=[quote.pk for quote in many]).count() == 8


def test_a_database_without_insert_returning_is_never_sent_one(context, monkeypatch):
    # SQLite before 3.35 cannot return the new ids from a multi-row insert.
    monkeypatch.setattr(
        type(connection.features), "can_return_rows_from_bulk_insert", False, raising=False
    )
    with CaptureQueriesContext(connection) as queries:
        objs = insert_with_history(candidates(context))
    assert not any("RETURNING" in query["sql"] for query in queries)
    assert all(obj.pk for obj in objs)
    assert Candidate.history.filter(id__in=[obj.pk for obj in objs]).count() == 2
