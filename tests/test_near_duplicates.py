"""Recognising republished wire copy among recent sources, with a per-process cache."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ingest.near_duplicates import RecentFingerprints
from ingest.web.canonical import minhash_signature
from pledges.models import Source

from .stub_server import article_paragraphs

pytestmark = pytest.mark.django_db


def story(index: int, *, cut: int = 0) -> str:
    paragraphs = article_paragraphs(index)
    return "\n".join(paragraphs[: len(paragraphs) - cut])


def store(index: int, url: str, **kwargs) -> Source:
    text = story(index, **kwargs)
    return Source.objects.create(url=url, text=text, fingerprint=minhash_signature(text))


def test_finds_the_original_of_a_reprint_and_nothing_for_a_new_story():
    recent = RecentFingerprints()
    original = store(3, "https://wire.example.org/3")
    store(4, "https://wire.example.org/4")
    assert recent.original_of(minhash_signature(story(3, cut=1))) == original
    assert recent.original_of(minhash_signature(story(5))) is None


def test_sees_sources_added_after_its_last_look():
    recent = RecentFingerprints()
    assert recent.original_of(minhash_signature(story(6))) is None
    original = store(6, "https://wire.example.org/6")
    assert recent.original_of(minhash_signature(story(6, cut=1))) == original


def test_forgets_rows_that_are_gone():
    recent = RecentFingerprints()
    gone = store(7, "https://wire.example.org/7")
    assert recent.original_of(minhash_signature(story(7))) == gone
    gone.delete()
    assert recent.original_of(minhash_signature(story(7))) is None


def test_keeps_only_the_newest_window():
    recent = RecentFingerprints(size=2)
    oldest = store(8, "https://wire.example.org/8")
    store(9, "https://wire.example.org/9")
    store(10, "https://wire.example.org/10")
    assert recent.original_of(minhash_signature(story(9))) is not None
    assert recent.original_of(minhash_signature(story(8))) is None
    assert oldest.pk not in recent._by_id


def test_forgotten_fingerprints_leave_the_index_in_batches():
    # However many sources pass through the window, the index lists at most twice its size.
    recent = RecentFingerprints(size=2)
    sources = []
    for index in range(16, 26):
        sources.append(store(index, f"https://wire.example.org/{index}"))
        assert recent.original_of(minhash_signature(story(index, cut=1))) == sources[-1]
        listed = {pk for ids in recent._ids_by_value.values() for pk in ids}
        assert len(listed) <= 2 * recent.size
    assert set(recent._by_id) == {source.pk for source in sources[-2:]}
    assert sources[0].pk not in listed
    assert sources[-3].pk in listed  # forgotten, but still in the index
    for index in (16, 23):
        assert recent.original_of(minhash_signature(story(index))) is None


def test_a_reprint_needs_half_the_signature_in_common():
    recent = RecentFingerprints()
    original = store(11, "https://wire.example.org/11")
    other = [value ^ 1 for value in original.fingerprint]
    # The same hash in 31 of 64 positions is just under the threshold of one half.
    assert recent.original_of(original.fingerprint[:31] + other[31:]) is None
    assert recent.original_of(original.fingerprint[:32] + other[32:]) == original


def test_a_look_after_new_sources_costs_one_query():
    recent = RecentFingerprints()
    store(13, "https://wire.example.org/13")
    assert recent.original_of(minhash_signature(story(15))) is None
    store(14, "https://wire.example.org/14")
    with CaptureQueriesContext(connection) as queries:
        assert recent.original_of(minhash_signature(story(14, cut=1))) is not None
    assert len(queries) == 2  # the new row, and the confirming read of the original
