"""Find nations and leaders in text, and keep only the mentions that can name an actor."""

from __future__ import annotations

import re
from typing import NamedTuple

from ingest.extractor import lexicon
from ingest.extractor.gazetteer import CompiledGazetteer

_PREV_WORD_RE = re.compile(r"([A-Za-zÀ-ÿ'’.-]+)(\s+)$")
_NEXT_WORD_RE = re.compile(r"^\s([A-Z][\w-]*)")
_SENTENCE_START_RE = re.compile(r"(?:^|[.!?\"“:—\n]\s*|^\s*-\s*)$")


class Mention(NamedTuple):
    # A named tuple, not a frozen dataclass: an article has dozens, and tuples are made 3x faster.
    start: int
    end: int
    iso2: str
    kind: str  # "name", "demonym", "metonym" or "leader"
    leader: str | None = None


def raw_mentions(text: str, compiled: CompiledGazetteer) -> list[Mention]:
    found = []
    for match in compiled.mention_re.finditer(text):
        target = compiled.targets.get(match.group())
        if target is not None:
            found.append(
                Mention(match.start(), match.end(), target.iso2, target.kind, target.leader)
            )
    return _merge_titles(text, found)


def _merge_titles(text: str, mentions: list[Mention]) -> list[Mention]:
    """ "French President Emmanuel Macron" is one leader mention, not a demonym and a leader."""
    merged: list[Mention] = []
    for mention in mentions:
        if merged and mention.kind == "leader":
            prev = merged[-1]
            gap = text[prev.end : mention.start]
            if (
                prev.iso2 == mention.iso2
                and prev.kind != "leader"
                and lexicon.TITLE_GAP_RE.match(gap)
            ):
                merged[-1] = Mention(
                    prev.start, mention.end, mention.iso2, "leader", mention.leader
                )
                continue
        merged.append(mention)
    return merged


def _looks_like_other_proper_noun(text: str, mention: Mention) -> bool:
    """ "Michael Jordan", "Georgia Tech", "Northern Ireland": the alias is part of another name."""
    before = _PREV_WORD_RE.search(text, max(0, mention.start - 30), mention.start)
    if before and before.group(1)[:1].isupper() and before.group(2) == " ":
        word = before.group(1)
        at_start = _SENTENCE_START_RE.search(text, max(0, before.start() - 3), before.start())
        if word not in lexicon.TITLE_WORDS and not at_start and word not in ("The", "A"):
            return True
    after = _NEXT_WORD_RE.match(text[mention.end : mention.end + 30])
    return bool(after and after.group(1) not in lexicon.TITLE_WORDS)


def actor_mentions(text: str, mentions: list[Mention]) -> list[Mention]:
    """Mentions that can be the subject of a pledge.

    A demonym counts only when it modifies an actor ("Italian troops", not "American oil"); a
    capital or seat of government only when a verb or a possessive follows ("Paris said").
    """
    # Where each mention starts, as a set: scanning every mention for each name followed by a
    # capitalised word made a page of one repeated name quadratic (issue 16).
    starts = {m.start for m in mentions}
    kept = []
    for mention in mentions:
        tail = text[mention.end : mention.end + 60]
        if mention.kind == "demonym":
            if not lexicon.ACTOR_NOUN_RE.match(tail):
                continue
        elif mention.kind == "metonym":
            if not (lexicon.ACTOR_NOUN_RE.match(tail) or lexicon.METONYM_VERB_RE.match(tail)):
                continue
        elif mention.kind == "name" and _looks_like_other_proper_noun(text, mention):
            nxt = _NEXT_WORD_RE.match(tail)
            if not (nxt and mention.end + 1 in starts):
                continue
        kept.append(mention)
    return kept
