"""Direct quotes and who said them: a leader, or a named role such as "a White House official"."""

from __future__ import annotations

import bisect
import functools
import re
from dataclasses import dataclass

from ingest.extractor import lexicon
from ingest.extractor.mentions import Mention
from ingest.extractor.sentences import paragraphs
from ingest.extractor.types import ExtractedQuote

# A single quote opens a quote only at a line's start or after a space, bracket or dash. The
# test follows the quote mark ("not after anything else") so that `re` can jump from one quote
# mark to the next instead of trying every position.
_PAIR_RES = (
    re.compile(r"“([^”\n]*)”"),
    re.compile(r"\"([^\"\n]*)\""),
    re.compile(r"‘(?<![^\s(—-]‘)([^’\n]*?)’(?![A-Za-z])"),
    re.compile(r"'(?<![^\s(—-]')([^'\n]*?)'(?=[\s,.;:!?)]|$)", re.M),
)
# A quote shorter than this is a scare quote ("backstop", "legitimate targets"), not speech.
_MIN_QUOTE_WORDS = 4


@dataclass(frozen=True)
class Speaker:
    name: str
    leader: str | None
    nation: str | None


def _quote_spans(text: str) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    for pattern in _PAIR_RES:
        for match in pattern.finditer(text):
            start, end = match.span(1)
            if any(s <= start < e or start <= s < end for s, e in spans):
                continue
            while end > start and text[end - 1] in " ,":
                end -= 1
            if len(text[start:end].split()) >= _MIN_QUOTE_WORDS:
                spans.append((start, end))
    return sorted(spans)


def resolve_speaker(text: str, start: int, end: int, mentions: list[Mention]) -> Speaker | None:
    """Who the words text[start:end] (a phrase before a speech verb) name."""
    inside = [m for m in mentions if start <= m.start and m.end <= end]
    for mention in inside:
        if mention.kind == "leader":
            return Speaker(mention.leader or "", mention.leader, mention.iso2)
    phrase = text[start:end]
    role = lexicon.ROLE_RE.search(phrase)
    if role:
        return _role_speaker(text, start + role.start(), start + role.end(), mentions)
    if re.fullmatch(r"\s*(?:he|she|He|She)\s*", phrase):
        earlier = [m for m in mentions if m.end <= start and m.kind == "leader"]
        if earlier:
            leader = earlier[-1]
            return Speaker(leader.leader or "", leader.leader, leader.iso2)
        return None
    if inside and inside[-1].kind in ("name", "metonym"):
        mention = inside[-1]
        return Speaker(text[mention.start : mention.end], None, mention.iso2)
    return None


@functools.cache
def _introduction_re(head: str) -> re.Pattern[str]:
    """Where an article introduces "a ... <head>": "a senior White House official"."""
    return re.compile(rf"\b(?:a|an)\s+(?:[\w'’.-]+\s+){{0,4}}?{re.escape(head)}\b", re.I)


def _role_speaker(text: str, start: int, end: int, mentions: list[Mention]) -> Speaker:
    role = lexicon.ROLE_RE.match(text, start, end)
    assert role is not None
    if role.group("det").lower() == "the":
        # "the official" refers back to the last "a ... official" the article introduced.
        head = role.group("head").lower().rstrip("s")
        earlier = list(_introduction_re(head).finditer(text, 0, start))
        if earlier:
            start, end = earlier[-1].span()
    nations = [m.iso2 for m in mentions if start <= m.start and m.end <= end]
    return Speaker(text[start:end], None, nations[0] if nations else None)


def find_quotes(text: str, mentions: list[Mention]) -> list[tuple[ExtractedQuote, Speaker]]:
    paras = paragraphs(text)
    para_starts = [para_start for para_start, _ in paras]
    found: list[tuple[ExtractedQuote, Speaker]] = []
    last_para = -2
    last_speaker: Speaker | None = None
    for start, end in _quote_spans(text):
        # Paragraphs are sorted and a quote never spans a line break.
        para_index = bisect.bisect_right(para_starts, start) - 1
        para_start, para_end = paras[para_index]
        close = end
        while close < para_end and text[close] in ",.!?”\"’' ":
            close += 1
        speaker = None
        after = lexicon.QUOTE_SPEECH_AFTER_RE.match(text, end, min(para_end, end + 120))
        if after:
            group = "who" if after.group("who") else "who2"
            speaker = resolve_speaker(text, *after.span(group), mentions)
        if speaker is None:
            opening = start - 1
            before = lexicon.QUOTE_SPEECH_BEFORE_RE.search(
                text, para_start, max(para_start, opening)
            )
            if before:
                speaker = resolve_speaker(text, *before.span("who"), mentions)
        # A paragraph that is all quote continues the previous paragraph's speaker.
        continues = para_index == last_para + 1 and not text[para_start : start - 1].strip()
        if speaker is None and continues:
            speaker = last_speaker
        if speaker is None:
            continue
        quote = ExtractedQuote(
            text=text[start:end],
            speaker=speaker.name,
            leader=speaker.leader,
            nation_iso2=speaker.nation,
            start=start,
            end=end,
        )
        found.append((quote, speaker))
        last_para, last_speaker = para_index, speaker
    return found
