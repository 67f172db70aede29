"""`manage.py generate_demo_data`: a reproducible demo data set beside the seed entries."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command

from pledges.demo_data import DEMO_URL_PREFIX
from pledges.models import Leader, Pledge, PledgeType, Quote, Source


def snapshot() -> list[tuple]:
    return list(
        Pledge.objects.order_by("nation__iso2", "pledge_type__slug", "announced_on").values_list(
            "nation__iso2", "pledge_type__slug", "announced_on", "stance", "formality"
        )
    )


@pytest.mark.django_db
class TestGenerateDemoData:
    def test_adds_every_kind_of_row_at_a_small_scale(self, seeded):
        call_command("generate_demo_data", scale=0.01)
        assert Pledge.objects.count() == 10 + 1000
        assert Source.objects.filter(url__startswith=DEMO_URL_PREFIX).count() == 500
        assert Quote.objects.filter(source__url__startswith=DEMO_URL_PREFIX).count() == 2000
        assert Leader.objects.count() == 105 + 20
        assert PledgeType.objects.count() == 12

    def test_never_changes_the_seed_entries(self, seeded):
        seed_rows = list(Pledge.objects.order_by("pk").values())
        seed_quotes = list(Quote.objects.order_by("pk").values())
        call_command("generate_demo_data", scale=0.01)
        pks = [row["id"] for row in seed_rows]
        assert list(Pledge.objects.filter(pk__in=pks).order_by("pk").values()) == seed_rows
        assert list(Quote.objects.filter(pk__in=[q["id"] for q in seed_quotes]).values()) == (
            seed_quotes
        )

    def test_same_seed_same_data(self, seeded):
        seed_pledges = set(Pledge.objects.values_list("pk", flat=True))
        seed_leaders = set(Leader.objects.values_list("pk", flat=True))
        call_command("generate_demo_data", scale=0.005)
        first = snapshot()
        Quote.objects.filter(source__url__startswith=DEMO_URL_PREFIX).delete()
        Pledge.objects.exclude(pk__in=seed_pledges).delete()
        Source.objects.filter(url__startswith=DEMO_URL_PREFIX).delete()
        Leader.objects.exclude(pk__in=seed_leaders).delete()
        call_command("generate_demo_data", scale=0.005)
        assert snapshot() == first

    def test_stances_change_over_time_in_some_cells(self, seeded):
        call_command("generate_demo_data", scale=0.02)
        changes = 0
        previous: dict[tuple, str] = {}
        for nation, pledge_type, _, stance, _ in snapshot():
            key = (nation, pledge_type)
            changes += key in previous and previous[key] != stance
            previous[key] = stance
        assert changes > 10

    def test_second_run_adds_nothing(self, seeded):
        call_command("generate_demo_data", scale=0.005)
        count = Pledge.objects.count()
        call_command("generate_demo_data", scale=0.005)
        assert Pledge.objects.count() == count

    def test_rejects_a_bad_scale(self, db):
        with pytest.raises(CommandError, match="scale"):
            call_command("generate_demo_data", scale=0)
