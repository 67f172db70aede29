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
        # Only the earlier kinds' spans can overlap a match (one pattern's matches never do).
        # They are disjoint, so bisection finds the one that could: a scan of every span for
        # each quote made a page of quotes quadratic.
        earlier = sorted(spans)
        starts = [s for s, _ in earlier]
        for match in pattern.finditer(text):
            start, end = match.span(1)
            at = bisect.bisect_right(starts, start)
            if (at and start < earlier[at - 1][1]) or (at < len(starts) and starts[at] < end):
                continue
            while end > start and text[end - 1] in " ,":
                end -= 1
            if len(text[start:end].split()) >= _MIN_QUOTE_WORDS:
                spans.append((start, end))
    return sorted(spans)


class SpeakerIndex:
    """An article's mentions (sorted by start and disjoint, as `raw_mentions` returns them) and
    its role introductions, indexed for the look-ups a speaker needs: each quote then costs the
    mentions near it, not a scan of all the article's (issue 16)."""

    __slots__ = ("_introductions", "items", "leader_ends", "leaders", "starts", "text")

    def __init__(self, text: str, mentions: list[Mention]) -> None:
        self.text = text
        self.items = mentions
        self.starts = [m.start for m in mentions]
        self.leaders = [m for m in mentions if m.kind == "leader"]
        self.leader_ends = [m.end for m in self.leaders]
        self._introductions: dict[str, tuple[list[re.Match[str]], list[int]]] = {}

    def inside(self, start: int, end: int) -> list[Mention]:
        """The mentions inside text[start:end], in order."""
        lo = bisect.bisect_left(self.starts, start)
        hi = bisect.bisect_left(self.starts, end, lo)
        return [m for m in self.items[lo:hi] if m.end <= end]

    def last_leader_by(self, position: int) -> Mention | None:
        """The last leader mention ending at or before `position`."""
        at = bisect.bisect_right(self.leader_ends, position)
        return self.leaders[at - 1] if at else None

    def last_introduction(self, head: str, before: int) -> re.Match[str] | None:
        """The last match of `_introduction_re(head).finditer(text, 0, before)`, from one scan
        of the whole text per head instead of one per quote.

        Cutting the text at `before` changes only the match that the whole text's scan finds
        across the cut, when a non-word character precedes it (so that `\b` reads the same on
        both sides): that match's words are whole tokens, so the cut text has none at its
        start, and its scan goes on from the next character. Otherwise scan the cut text.
        """
        pattern = _introduction_re(head)
        text = self.text
        if before and _WORD_CHAR_RE.match(text, before - 1):
            found = list(pattern.finditer(text, 0, before))
            return found[-1] if found else None
        if head not in self._introductions:
            matches = list(pattern.finditer(text))
            self._introductions[head] = (matches, [m.end() for m in matches])
        matches, ends = self._introductions[head]
        at = bisect.bisect_right(ends, before)
        if at < len(matches) and matches[at].start() < before:
            rest = list(pattern.finditer(text, matches[at].start() + 1, before))
            if rest:
                return rest[-1]
        return matches[at - 1] if at else None


_WORD_CHAR_RE = re.compile(r"\w")


def _speaker_index(text: str, mentions: list[Mention] | SpeakerIndex) -> SpeakerIndex:
    return mentions if isinstance(mentions, SpeakerIndex) else SpeakerIndex(text, mentions)


def resolve_speaker(
    text: str, start: int, end: int, mentions: list[Mention] | SpeakerIndex
) -> Speaker | None:
    """Who the words text[start:end] (a phrase before a speech verb) name."""
    mentions = _speaker_index(text, mentions)
    inside = mentions.inside(start, end)
    for mention in inside:
        if mention.kind == "leader":
            return Speaker(mention.leader or "", mention.leader, mention.iso2)
    phrase = text[start:end]
    role = lexicon.ROLE_RE.search(phrase)
    if role:
        return _role_speaker(text, start + role.start(), start + role.end(), mentions)
    if re.fullmatch(r"\s*(?:he|she|He|She)\s*", phrase):
        leader = mentions.last_leader_by(start)
        if leader is not None:
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


def _role_speaker(text: str, start: int, end: int, mentions: SpeakerIndex) -> Speaker:
    role = lexicon.ROLE_RE.match(text, start, end)
    assert role is not None
    if role.group("det").lower() == "the":
        # "the official" refers back to the last "a ... official" the article introduced.
        head = role.group("head").lower().rstrip("s")
        earlier = mentions.last_introduction(head, start)
        if earlier:
            start, end = earlier.span()
    nations = [m.iso2 for m in mentions.inside(start, end)]
    return Speaker(text[start:end], None, nations[0] if nations else None)


# The most characters other than whitespace that a QUOTE_SPEECH_BEFORE_RE match holds: 80 for
# the speaker, 44 for "told" and its object, 1 for a colon. Keep in step with the pattern.
_SPEECH_BEFORE_REACH = 125
_SPEECH_BEFORE_WINDOW = 512


def _speech_before(text: str, para_start: int, end: int) -> re.Match[str] | None:
    """QUOTE_SPEECH_BEFORE_RE.search(text, para_start, end), which must end at `end`, looked for
    only as far back as a match can reach: searched from the paragraph's start, each quote of a
    long paragraph cost the whole paragraph."""
    window = _SPEECH_BEFORE_WINDOW
    while True:
        start = max(para_start, end - window)
        # A match starting at or before `start` would hold all of text[start:end].
        if start == para_start or len("".join(text[start:end].split())) > _SPEECH_BEFORE_REACH:
            return lexicon.QUOTE_SPEECH_BEFORE_RE.search(text, start, end)
        window *= 4


_VISIBLE_RE = re.compile(r"\S")


def find_quotes(
    text: str, mentions: list[Mention] | SpeakerIndex
) -> list[tuple[ExtractedQuote, Speaker]]:
    mentions = _speaker_index(text, mentions)
    paras = paragraphs(text)
    para_starts = [para_start for para_start, _ in paras]
    found: list[tuple[ExtractedQuote, Speaker]] = []
    last_para = -2
    last_speaker: Speaker | None = None
    first_visible: dict[int, int] = {}
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
            before = _speech_before(text, para_start, max(para_start, opening))
            if before:
                speaker = resolve_speaker(text, *before.span("who"), mentions)
        # A paragraph that is all quote continues the previous paragraph's speaker.
        continues = False
        if para_index == last_para + 1:
            # Where the paragraph's first visible character is, found once per paragraph.
            if para_index not in first_visible:
                visible = _VISIBLE_RE.search(text, para_start, para_end)
                first_visible[para_index] = visible.start() if visible else para_end
            continues = first_visible[para_index] >= start - 1
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
