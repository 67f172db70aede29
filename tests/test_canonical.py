"""Canonical URLs, content hashes and near-duplicate signatures: one story, one Source."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ingest.web import canonical
from ingest.web.canonical import (
    NEAR_DUPLICATE_THRESHOLD,
    canonical_url,
    is_near_duplicate,
    minhash_signature,
    similarity,
)
from ingest.web.errors import InvalidURL
from tests.stub_server import article_paragraphs


@pytest.mark.parametrize(
    ("url", "canonical"),
    [
        ("HTTP://News.Example.COM/World", "http://news.example.com/World"),
        ("https://news.example:443/a", "https://news.example/a"),
        ("http://news.example:80/a", "http://news.example/a"),
        ("http://news.example:8080/a", "http://news.example:8080/a"),
        ("https://news.example", "https://news.example/"),
        ("https://news.example/a#comments", "https://news.example/a"),
        ("https://news.example/a/./b/../c", "https://news.example/a/c"),
        ("https://news.example/%7Euser/%2e%2E/x", "https://news.example/x"),
        ("https://news.example/caf%c3%a9", "https://news.example/caf%C3%A9"),
        ("https://news.example/café", "https://news.example/caf%C3%A9"),
        ("https://news.example/a b", "https://news.example/a%20b"),
        ("https://bücher.example/", "https://xn--bcher-kva.example/"),
        ("https://news.example./a", "https://news.example/a"),
        ("https://user:pw@news.example/a", "https://news.example/a"),
        ("https://[2001:DB8::1]:443/", "https://[2001:db8::1]/"),
        ("https://news.example/a?b=2&a=1", "https://news.example/a?a=1&b=2"),
        ("https://news.example/a?&&id=7&", "https://news.example/a?id=7"),
        (
            "https://news.example/story?utm_source=tw&utm_medium=social&id=7&fbclid=abc",
            "https://news.example/story?id=7",
        ),
        (
            "https://news.example/s?gclid=1&mc_cid=2&mc_eid=3&igshid=4&ref=5&ref_src=6&cmpid=7"
            "&ocid=8&at_medium=9&at_campaign=10&_ga=11&yclid=12&UTM_Campaign=13",
            "https://news.example/s",
        ),
        ("https://news.example/s?q=a%2bb&q2=a+b", "https://news.example/s?q=a%2Bb&q2=a+b"),
        ("https://news.example/s?q=x%26y", "https://news.example/s?q=x%26y"),
    ],
)
def test_canonical_url(url: str, canonical: str) -> None:
    assert canonical_url(url) == canonical


def test_same_article_through_two_feeds_has_one_canonical_url() -> None:
    via_feed_a = "https://News.Example/europe/guarantees?utm_source=rss&utm_medium=feed"
    via_feed_b = "https://news.example:443/europe/guarantees?ocid=newsletter#top"
    assert canonical_url(via_feed_a) == canonical_url(via_feed_b)


@pytest.mark.parametrize(
    "url",
    [
        "",
        "news.example/a",
        "ftp://news.example/",
        "javascript:alert(1)",
        "mailto:desk@news.example",
        "http:///a",
        "http://news.example:99999/",
        "http://[::1/",
        "http://news..example/",
        "http://news.example\\a",
        "http://news.example/\x00",
    ],
)
def test_rejects_what_is_no_http_url(url: str) -> None:
    with pytest.raises(InvalidURL):
        canonical_url(url)


@settings(max_examples=200, deadline=None)
@given(
    st.one_of(
        st.text(),
        st.builds(
            lambda scheme, host, path, query, fragment: (
                f"{scheme}://{host}{path}?{query}#{fragment}"
            ),
            st.sampled_from(["http", "https", "HTTP", "ftp", ""]),
            st.text(min_size=0, max_size=20),
            st.text(max_size=30),
            st.text(max_size=30),
            st.text(max_size=10),
        ),
        st.builds(
            lambda path, query: f"https://news.example/{path}?{query}",
            st.text(alphabet=st.characters(codec="utf-8"), max_size=40),
            st.text(alphabet="abc=&%+;/?#2Ef.", max_size=40),
        ),
    )
)
def test_canonical_url_is_idempotent_or_rejects(url: str) -> None:
    try:
        once = canonical_url(url)
    except InvalidURL:
        return
    assert canonical_url(once) == once


def _story(index: int) -> str:
    return "\n\n".join(article_paragraphs(index))


def test_republished_wire_story_is_a_near_duplicate() -> None:
    original = _story(4)
    paragraphs = article_paragraphs(4)
    # Another outlet: own intro line, last paragraph cut, a word changed.
    reprint = "\n\n".join(["Updated at 10:40 with reaction.", *paragraphs[:-1]]).replace(
        "said", "stated", 1
    )
    assert similarity(minhash_signature(original), minhash_signature(reprint)) >= 0.6
    assert is_near_duplicate(minhash_signature(original), minhash_signature(reprint))


def test_different_stories_are_not_near_duplicates() -> None:
    signatures = [minhash_signature(_story(index)) for index in range(60)]
    worst = max(similarity(a, b) for i, a in enumerate(signatures) for b in signatures[i + 1 :])
    assert worst < NEAR_DUPLICATE_THRESHOLD


def test_signature_is_json_ready_and_stable() -> None:
    signature = minhash_signature("Poland's defence minister said Warsaw was ready to send troops.")
    assert len(signature) == 64
    assert all(isinstance(value, int) and 0 <= value < 2**32 for value in signature)
    assert signature == minhash_signature(
        "POLAND'S defence minister said Warsaw was ready to send troops!"
    )


def _reference_signature(text: str) -> list[int]:
    """The MinHash definition, one shingle and one permutation at a time: signatures stored
    by earlier releases were computed this way."""
    words = canonical._WORD.findall(canonical._normalised_text(text))
    if not words:
        return []
    width = min(canonical.SHINGLE_WORDS, len(words))
    shingles = {
        canonical._hash64(" ".join(words[i : i + width]).encode("utf-8", "surrogatepass"))
        for i in range(len(words) - width + 1)
    }
    prime = canonical._MERSENNE_PRIME
    return [
        min((a * shingle + b) % prime for shingle in shingles) & 0xFFFFFFFF
        for a, b in canonical._PERMUTATIONS
    ]


@pytest.mark.parametrize("index", range(40))
def test_signature_matches_the_definition_on_articles(index: int) -> None:
    assert minhash_signature(_story(index)) == _reference_signature(_story(index))


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(["a", "b", "é", "ß", "1", " ", "\n", "-"]), max_size=80))
def test_signature_matches_the_definition_on_any_text(text: str) -> None:
    assert minhash_signature(text) == _reference_signature(text)


@pytest.mark.parametrize("residue", [0, 1, 2, canonical._MERSENNE_PRIME - 1])
def test_signature_is_exact_at_the_edges_of_the_modulus(residue: int) -> None:
    prime = canonical._MERSENNE_PRIME
    a, b = canonical._PERMUTATIONS[0]
    # The shingles whose hash under the first (a, b) leaves this residue, below 2**64 as hashes
    # are; then with the largest hashes there are.
    first = (residue - b) * pow(a, -1, prime) % prime
    edge = {first, first + prime, first + 7 * prime}
    for shingles in (edge, edge | {12345, 2**63, 2**64 - 1}):
        expected = [
            min((a * shingle + b) % prime for shingle in shingles) & 0xFFFFFFFF
            for a, b in canonical._PERMUTATIONS
        ]
        assert canonical._signature(shingles) == expected
    assert canonical._signature(edge)[0] == residue & 0xFFFFFFFF


def test_empty_text_is_similar_to_nothing() -> None:
    assert minhash_signature("  ...  ") == []
    assert similarity([], []) == 0.0
    assert similarity(minhash_signature("a b c d e f"), []) == 0.0
