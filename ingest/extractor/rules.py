"""The default, rule-based backend: pledge cues, their subjects, stances, types and conditions.

Per sentence: mask relative clauses and dashes, split into clauses on "but", ";", "while"; in
each clause group adjacent stance cues ("would be ready to"), find the subject to their left
(following reported speech and pronouns), the pledge types to their right, and any condition.

Dedup rule: one candidate per (nation, type) per text, the most confident; on a tie the earliest.
So an article that states two stances for one pair yields the better-supported one.
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Generic, NamedTuple, TypeVar

from ingest.extractor import budget, lexicon
from ingest.extractor.gazetteer import CompiledGazetteer, Gazetteer
from ingest.extractor.mentions import Mention, actor_mentions, raw_mentions
from ingest.extractor.quotes import Speaker, SpeakerIndex, find_quotes, resolve_speaker
from ingest.extractor.sentences import split_sentences
from ingest.extractor.types import CandidatePledge, Extraction

# Built-in grammar for the first set of types; custom types work through their signals alone.
GENERAL_TYPE = "guarantee"
_CARRIER_RE = re.compile(
    r"^(?:deploy\w*|send\w*|personnel|military personnel|contingent|military (?:contribution|"
    r"commitment|presence))$",
    re.I,
)
_KIND_CONFIDENCE = {
    "name": 0.9,
    "leader": 0.85,
    "demonym": 0.85,
    "metonym": 0.7,
    "pronoun": 0.8,
    "quote": 0.8,
    "collective": 0.55,
}
_STANCE_CONFIDENCE = {"committed": 0.95, "open": 0.9, "declined": 0.95, "conditional": 0.85}
_MAX_HEAD_GAP_WORDS = 3
_HEAD_WORD_RE = re.compile(r"[\w'’-]+")
_ONLY_RE = re.compile(r"\bonly\b")
_VERB_GROUP_GAP_RE = re.compile(r"\s*(?:be|been|they|it|he|she|we|I|that)?\s*(?:be\s+)?")
_ATTRIBUTION_VERB_RE = re.compile(
    r"said|says|told|added|announced|confirmed|reiterated|stressed|insisted|wrote|declared"
    r"|warned|noted|according to",
    re.I,
)


# What a document indexes by position.
_Item = TypeVar("_Item", Mention, "Span", "Subject")


@dataclass
class Subject:
    nations: tuple[str, ...]
    kind: str
    start: int
    end: int
    leader: str | None = None
    blanket: bool = False
    partial: bool = False
    negated: bool = False
    speaker: Speaker | None = None


class Span(NamedTuple):
    start: int
    end: int
    kind: str
    text: str = ""


class _Asides:
    """A sentence's masked asides: disjoint spans in order, so the one that could cover a
    position is found by bisection (a scan of every aside for each item was quadratic)."""

    __slots__ = ("spans", "starts")

    def __init__(self, spans: list[tuple[int, int]]) -> None:
        self.spans = spans
        self.starts = [start for start, _ in spans]

    def __bool__(self) -> bool:
        return bool(self.spans)

    def covers(self, position: int) -> bool:
        at = bisect.bisect_right(self.starts, position)
        return bool(at) and position < self.spans[at - 1][1]


_NO_ASIDES = _Asides([])


class _Spans(Generic[_Item]):
    """A document's mentions, cues... sorted by start, with the starts listed once for bisection:
    listing them on every lookup cost a tenth of the extraction time."""

    __slots__ = ("ends", "items", "starts")

    def __init__(self, items: list[_Item]) -> None:
        self.items = items
        self.starts = [item.start for item in items]
        ends = [item.end for item in items]
        # Items that do not overlap (one scan's matches) end in order too, so the ones ending
        # by a point are found by bisection as well.
        self.ends = ends if all(a <= b for a, b in itertools.pairwise(ends)) else None

    def inside(self, start: int, end: int) -> list[_Item]:
        """The items inside text[start:end]."""
        lo = bisect.bisect_left(self.starts, start)
        if self.ends is not None:
            return self.items[lo : bisect.bisect_right(self.ends, end, lo)]
        hi = bisect.bisect_left(self.starts, end, lo)
        return [item for item in self.items[lo:hi] if item.end <= end]


@dataclass
class _Doc:
    text: str
    compiled: CompiledGazetteer
    mentions: _Spans[Mention]
    raw: list[Mention]
    raw_spans: _Spans[Mention]
    cues: _Spans[Span]
    speech: _Spans[Span]
    signals: _Spans[Span]
    quotes: list[tuple[int, int, Speaker]]
    quote_starts: list[int]
    speakers: SpeakerIndex
    excluded: frozenset[str]
    # The text lowercased for the case-insensitive patterns' fast twins; None if it cannot be.
    folded: str | None = None
    masked: _Asides = _NO_ASIDES
    # Chains of the current sentence, computed on first use: most sentences never need them.
    chain_cache: tuple[int, int, _Spans[Subject] | None] = (0, 0, None)
    # The same for attributions, and look-ups over the chains by kind.
    attribution_cache: tuple[int, int, _Attributions | None] = (0, 0, None)
    chain_lookups: dict[str, list[int]] = field(default_factory=dict)
    discourse: list[Subject] = field(default_factory=list)

    def search(self, twin: lexicon.Twin, start: int, end: int) -> re.Match[str] | None:
        """twin.original.search(text, start, end), on the folded text when there is one."""
        if self.folded is None:
            return twin.original.search(self.text, start, end)
        if not twin.may_match(self.folded, start, end):
            return None
        return twin.pattern.search(self.folded, start, end)

    def finditer(self, twin: lexicon.Twin, start: int, end: int) -> Iterator[re.Match[str]]:
        """twin.original.finditer(text, start, end), on the folded text when there is one."""
        if self.folded is None:
            return twin.original.finditer(self.text, start, end)
        if not twin.may_match(self.folded, start, end):
            return iter(())
        return twin.pattern.finditer(self.folded, start, end)

    def within(self, spans: _Spans[_Item], start: int, end: int) -> list[_Item]:
        """The items inside text[start:end] and outside the masked asides."""
        inside = spans.inside(start, end)
        if not self.masked.spans:
            return inside
        covers = self.masked.covers
        return [item for item in inside if not covers(item.start)]

    def quote_at(self, position: int) -> tuple[int, int, Speaker] | None:
        """The quote around `position`: quotes are disjoint and in order, so it is the last one
        starting by then, if that one has not ended."""
        at = bisect.bisect_right(self.quote_starts, position)
        if at and position < self.quotes[at - 1][1]:
            return self.quotes[at - 1]
        return None


# Where a nation is the protected country or the aggressor, read from the words around it.
_BEFORE_RECIPIENT_RE = re.compile(
    r"\b(?:(?P<strong>to|for|support(?:ing)?|help(?:ing)?|protect(?:ing)?|defend(?:ing)?"
    r"|reassure|reassuring|arm(?:ing)?|aid(?:ing)?|back(?:ing)?|assist(?:ing)?|guarantee(?:s|ing)?"
    r"|inside|within)|in|into)\s+(?:the\s+)?$",
    re.I,
)
_AFTER_RECIPIENT_RE = re.compile(
    r"^(?:'s|’s)\s+(?:allies|partners|(?:security|defen[cs]e)(?!\s+(?:minister|ministry|secretary"
    r"|chief|council|adviser|advisor|official|spokes\w+|department|establishment))"
    r"|sovereignty|reconstruction|budget"
    r"|armed\s+forces|forces|army|military|future|protection|backers|supporters)\b",
    re.I,
)
_BEFORE_ADVERSARY_RE = re.compile(
    r"\b(?:(?P<strong>deter(?:ring)?|against|sanction(?:ing|s)?|pressure\s+on|pressuring"
    r"|isolat(?:e|ing))|on)\s+(?:the\s+)?$",
    re.I,
)
_AFTER_ADVERSARY_RE = re.compile(
    r"^(?:(?:'s|’s)\s+(?:war|invasion|aggression|attacks?|full-scale|oil|gas|shadow\s+fleet"
    r"|economy|war\s+machine|bombardment)|\s+(?:launched|invaded|attacked|annexed))\b",
    re.I,
)


def _last_words_start(text: str, count: int) -> int:
    """Where the last `count` whitespace-separated words of `text` begin (0 if it has fewer)."""
    words = text.rsplit(None, count)
    if len(words) <= count:
        return 0
    before = len(words[0])
    return len(text) - len(text[before:].lstrip())


def _role_scores(text: str, raw: list[Mention]) -> frozenset[str]:
    """Nations an article treats as the protected country or as the aggressor.

    They receive the guarantee or are deterred by it, so they cannot pledge it: the country
    most often named as a recipient ("to Ukraine", "Ukraine's allies"), and any country named
    as the target of pressure ("sanctions on Russia", "Russia's war").
    """
    recipient: dict[str, int] = {}
    adversary: dict[str, int] = {}
    for mention in raw:
        if mention.kind not in ("name", "metonym"):
            continue
        # A line break ends a headline or paragraph: "...offers help" on one line says
        # nothing about who receives it when the next line starts with a nation.
        head = text[max(0, mention.start - 30) : mention.start].rpartition("\n")[2]
        tail = text[mention.end : mention.end + 30].partition("\n")[0]
        # Both patterns match the head's last three words at most ("pressure on the").
        last_words = _last_words_start(head, 3)
        match = _BEFORE_RECIPIENT_RE.search(head, last_words)
        if match:
            recipient[mention.iso2] = recipient.get(mention.iso2, 0) + (
                2 if match.group("strong") else 1
            )
        if _AFTER_RECIPIENT_RE.match(tail):
            recipient[mention.iso2] = recipient.get(mention.iso2, 0) + 2
        match = _BEFORE_ADVERSARY_RE.search(head, last_words)
        if match:
            adversary[mention.iso2] = adversary.get(mention.iso2, 0) + (
                2 if match.group("strong") else 1
            )
        if _AFTER_ADVERSARY_RE.match(tail):
            adversary[mention.iso2] = adversary.get(mention.iso2, 0) + 2
    excluded = set()
    ranked = sorted(recipient.items(), key=lambda item: -item[1])
    if ranked and ranked[0][1] >= 2 and (len(ranked) == 1 or ranked[0][1] > ranked[1][1]):
        excluded.add(ranked[0][0])
    excluded.update(
        iso2
        for iso2, score in adversary.items()
        if score >= 2 and score > recipient.get(iso2, 0) // 2
    )
    return frozenset(excluded)


class RuleBasedExtractor:
    """Offline, deterministic extractor: English reporting grammar plus the gazetteer's words."""

    def extract(self, text: str, gazetteer: Gazetteer) -> Extraction:
        compiled = gazetteer.compiled
        raw = raw_mentions(text, compiled)
        mentions = _Spans(actor_mentions(text, raw))
        headlines = _Headlines(text, mentions)
        cues = [
            Span(start, end, kind, text[start:end])
            for start, end, kind in lexicon.find_cues(text)
            if kind != "headline" or headlines.is_subject(start)
        ]
        speech = [Span(m.start(), m.end(), "speech") for m in lexicon.SPEECH_SCAN_RE.finditer(text)]
        folded = lexicon.fold_case(text)
        signals = _signals(text, folded, compiled)
        speakers = SpeakerIndex(text, raw)
        quote_pairs = find_quotes(text, speakers)
        doc = _Doc(
            text=text,
            compiled=compiled,
            mentions=mentions,
            raw=raw,
            raw_spans=_Spans(raw),
            cues=_Spans(cues),
            speech=_Spans(speech),
            signals=_Spans(signals),
            quotes=[(q.start, q.end, speaker) for q, speaker in quote_pairs],
            quote_starts=[q.start for q, _ in quote_pairs],
            speakers=speakers,
            excluded=_role_scores(text, raw),
            folded=folded,
        )
        best: dict[tuple[str, str], CandidatePledge] = {}
        for start, end in split_sentences(text):
            budget.check()
            for candidate in _sentence_candidates(doc, start, end):
                key = (candidate.nation, candidate.type)
                if key not in best or candidate.confidence > best[key].confidence:
                    best[key] = candidate
        ordered = sorted(best.values(), key=lambda c: (c.evidence_start, c.nation, c.type))
        return Extraction(candidates=tuple(ordered), quotes=tuple(q for q, _ in quote_pairs))


def _is_headline_subject(text: str, cue_start: int, mentions: list[Mention]) -> bool:
    """Headline grammar, "Denmark to send jets": only nations stand between the line's start
    (or a dateline dash or colon) and the bare infinitive."""
    line_start = max(text.rfind(c, 0, cue_start) for c in _HEADLINE_BREAKS) + 1
    position = line_start
    for mention in mentions:
        if mention.end <= line_start or mention.start >= cue_start:
            continue
        if not lexicon.COORD_GAP_RE.match(text[position : mention.start]):
            return False
        position = mention.end
    return position > line_start and not text[position:cue_start].strip()


_HEADLINE_BREAKS = "\n:—.!?"
_HEADLINE_BREAK_RE = re.compile(f"[{_HEADLINE_BREAKS}]")
_VISIBLE_RE = re.compile(r"\S")


class _Headlines:
    """`_is_headline_subject` for each headline cue of one text, in order, with the mentions
    (disjoint, in order) and the line breaks looked up by position: for every cue, a search
    back to the text's start for each break and a scan of every mention made a long line
    quadratic. Each line's run of coordinated mentions is checked once, as far as a cue asks."""

    def __init__(self, text: str, mentions: _Spans[Mention]) -> None:
        self.text = text
        self.mentions = mentions
        self.breaks: list[int] | None = None
        self.runs: dict[int, tuple[int, bool]] = {}  # line start: mentions passed, one failed
        self.visible: dict[int, int] = {}  # position: the first visible character from it

    def is_subject(self, cue_start: int) -> bool:
        text, spans = self.text, self.mentions
        if spans.ends is None:
            return _is_headline_subject(text, cue_start, spans.items)
        if self.breaks is None:
            self.breaks = [m.start() for m in _HEADLINE_BREAK_RE.finditer(text)]
        at = bisect.bisect_left(self.breaks, cue_start)
        line_start = (self.breaks[at - 1] if at else -1) + 1
        # The mentions that end after the line's start and start before the cue.
        lo = bisect.bisect_right(spans.ends, line_start)
        hi = bisect.bisect_left(spans.starts, cue_start, lo)
        passed, failed = self.runs.get(line_start, (0, False))
        position = spans.items[lo + passed - 1].end if passed else line_start
        while passed < hi - lo and not failed:
            mention = spans.items[lo + passed]
            if lexicon.COORD_GAP_RE.match(text[position : mention.start]):
                position, passed = mention.end, passed + 1
            else:
                failed = True
        self.runs[line_start] = (passed, failed)
        if hi - lo > passed:
            return False  # a mention before the cue is not coordinated with the others
        position = spans.items[hi - 1].end if hi > lo else line_start
        return position > line_start and self._first_visible(position) >= cue_start

    def _first_visible(self, position: int) -> int:
        if position not in self.visible:
            found = _VISIBLE_RE.search(self.text, position)
            self.visible[position] = found.start() if found else len(self.text)
        return self.visible[position]


def _signals(text: str, folded: str | None, compiled: CompiledGazetteer) -> list[Span]:
    found: list[Span] = []
    if folded is not None and compiled.folded_signal_re is not None:
        matches = compiled.folded_signal_re.finditer(folded)
    elif compiled.signal_re is not None:
        matches = compiled.signal_re.finditer(text)
    else:
        matches = iter(())
    for match in matches:
        # Signal words are stored lowercase and single-spaced, as most matches already are.
        slug = compiled.signal_types.get(match.group()) or compiled.signal_types.get(
            " ".join(match.group().lower().split())
        )
        if slug:
            found.append(Span(match.start(), match.end(), slug, text[match.start() : match.end()]))
    if "financing" in compiled.type_order:
        # The signals are one scan's matches, disjoint and in order, and so are the amounts: the
        # signal last starting by an amount is the only one it can start in. Bisection, not a
        # scan of every signal for each amount.
        signal_starts = [signal.start for signal in found]
        signal_ends = [signal.end for signal in found]
        for match in lexicon.find_money(text):
            at = bisect.bisect_right(signal_starts, match.start())
            if not (at and match.start() < signal_ends[at - 1]):
                found.append(Span(match.start(), match.end(), "financing", match.group()))
    return sorted(found, key=lambda s: s.start)


def _mask(text: str, start: int, end: int) -> _Asides:
    """The asides of text[start:end]: relative clauses, dashes, brackets, "X said" inserts."""
    if not any(gate.search(text, start, end) for gate in lexicon.PARENTHETICAL_GATE_RES):
        return _NO_ASIDES
    return _Asides(
        [
            (start + m.start(), start + m.end())
            for m in lexicon.PARENTHETICAL_RE.finditer(text[start:end])
        ]
    )


def _clauses(text: str, start: int, end: int, masked: _Asides) -> list[tuple[int, int]]:
    if not lexicon.CLAUSE_SPLIT_GATE_RE.search(text, start, end):
        return [(start, end)] if end > start else []
    spans = []
    cursor = start
    for match in lexicon.CLAUSE_SPLIT_RE.finditer(text, start, end):
        if masked.covers(match.start()):
            continue
        if match.start() > cursor:
            spans.append((cursor, match.start()))
        cursor = match.end()
    if end > cursor:
        spans.append((cursor, end))
    return spans


def _cue_groups(doc: _Doc, cues: list[Span]) -> list[list[Span]]:
    """Adjacent cues form one verb group: "would" + "be ready to" reads as one open stance."""
    groups: list[list[Span]] = []
    for cue in cues:
        if groups:
            gap = doc.text[groups[-1][-1].end : cue.start]
            if lexicon.EMPTY_REGION_RE.match(gap) or _VERB_GROUP_GAP_RE.fullmatch(gap):
                groups[-1].append(cue)
                continue
        groups.append([cue])
    return groups


def _group_stance(group: list[Span]) -> str:
    kinds = {cue.kind for cue in group}
    if "openneg" in kinds:
        return "open"
    if "headline" in kinds:
        kinds.add("committed")
    for kind in ("declined", "open", "decide", "committed"):
        if kind in kinds:
            return kind
    return ""


def _is_object(doc: _Doc, start: int, end: int | None = None) -> bool:
    head = doc.text[max(0, start - 40) : start]
    # Every OF_HEADS_RE match ends in "of": other heads need no scan.
    if head.rstrip()[-2:].lower() == "of" and lexicon.OF_HEADS_RE.search(head):
        return False
    words = _HEAD_WORD_RE.findall(head)
    while words and words[-1].lower() in ("the", "both", "all", "a", "an"):
        words.pop()
    if not words or words[-1].lower() not in lexicon.PREPOSITIONS:
        return False
    # "after Canada said it was ready": a conjunction opening a clause, not a preposition.
    return not (
        end is not None
        and words[-1].lower() in lexicon.SUBORDINATORS
        and lexicon.METONYM_VERB_RE.match(doc.text[end : end + 60])
    )


def _chains(doc: _Doc, start: int, end: int) -> list[Subject]:
    """Coordinated nations and blanket nouns ("France and the United Kingdom", "Germany and
    other countries") that are not objects of a preposition, within text[start:end]."""
    sentence_start, sentence_end, cached = doc.chain_cache
    if sentence_start <= start <= end <= sentence_end and sentence_end > sentence_start:
        if cached is None:
            # Indexed by position: each cue group of a long sentence asks for its own stretch.
            cached = _Spans(_sentence_chains(doc, sentence_start, sentence_end))
            doc.chain_cache = (sentence_start, sentence_end, cached)
        return cached.inside(start, end)
    chains = _sentence_chains(doc, start, end)
    return [chain for chain in chains if start <= chain.start and chain.end <= end]


def _is_topic(subject: Subject) -> bool:
    return bool(subject.nations or subject.blanket)


# Which chains a pronoun may refer back to, by the pronoun's kind (any other: a topic).
_ANTECEDENT_TESTS = {
    "leader": lambda s: _is_topic(s) and bool(s.leader or s.kind == "demonym"),
    "nation": lambda s: bool(s.nations),
}
_UNINDEXED = Subject((), "", 0, 0)


def _indexed_chains(doc: _Doc, start: int, end: int) -> tuple[_Spans[Subject], int, int] | None:
    """The current sentence's chains and the range of them inside text[start:end] (they are
    disjoint and in order), or None when text[start:end] is not in the sentence."""
    sentence_start, sentence_end, cached = doc.chain_cache
    if not (sentence_start <= start <= end <= sentence_end and sentence_end > sentence_start):
        return None
    if cached is None:
        _chains(doc, start, end)
        cached = doc.chain_cache[2]
        assert cached is not None
    if cached.ends is None:
        return None
    lo = bisect.bisect_left(cached.starts, start)
    return cached, lo, bisect.bisect_right(cached.ends, end, lo)


def _last_chain(
    doc: _Doc, kind: str, test: Callable[[Subject], bool], start: int, end: int
) -> Subject | None:
    """The last chain inside text[start:end] that passes `test`: one pass over the sentence's
    chains per kind of pronoun, not a list of every chain so far for each pronoun."""
    indexed = _indexed_chains(doc, start, end)
    if indexed is None:
        return _UNINDEXED
    chains, lo, hi = indexed
    last = doc.chain_lookups.get(kind)
    if last is None:
        # last[i]: the index of the last chain before i that passes, or -1.
        last, previous = [], -1
        for index, chain in enumerate(chains.items):
            last.append(previous)
            if test(chain):
                previous = index
        last.append(previous)
        doc.chain_lookups[kind] = last
    found = last[hi]
    return chains.items[found] if found >= lo else None


def _first_chain(doc: _Doc, start: int, end: int) -> Subject | None:
    """The first chain naming nations inside text[start:end]."""
    indexed = _indexed_chains(doc, start, end)
    if indexed is None:
        topics = [s for s in _chains(doc, start, end) if s.nations]
        return topics[0] if topics else None
    chains, lo, hi = indexed
    following = doc.chain_lookups.get("first")
    if following is None:
        # following[i]: the index of the first chain from i on that names nations.
        following = [len(chains.items)] * (len(chains.items) + 1)
        for index in range(len(chains.items) - 1, -1, -1):
            following[index] = index if chains.items[index].nations else following[index + 1]
        doc.chain_lookups["first"] = following
    found = following[lo]
    return chains.items[found] if found < hi else None


def _sentence_chains(doc: _Doc, start: int, end: int) -> list[Subject]:
    items: list[tuple[int, int, Mention | None, str]] = [
        (m.start, m.end, m, "") for m in doc.within(doc.mentions, start, end)
    ]
    # The mentions are disjoint and in order, and one scan's blanket matches never overlap
    # each other, so only the mentions on either side of a match can overlap it: found by
    # bisection, not by a scan of every item for each match.
    starts: list[int] | None = None
    for match in doc.finditer(lexicon.BLANKET, start, end):
        if starts is None:
            starts = [item[0] for item in items]
        at = bisect.bisect_right(starts, match.start())
        overlaps = (at and match.start() < items[at - 1][1]) or (
            at < len(starts) and starts[at] < match.end()
        )
        if not doc.masked.covers(match.start()) and not overlaps:
            items.append((match.start(), match.end(), None, match.lastgroup or "total"))
    items.sort(key=lambda item: item[0])
    chains: list[list[tuple[int, int, Mention | None, str]]] = []
    for item in items:
        if chains and lexicon.COORD_GAP_RE.match(doc.text[chains[-1][-1][1] : item[0]]):
            chains[-1].append(item)
        else:
            chains.append([item])
    subjects = []
    for chain in chains:
        first = chain[0][0]
        if _is_object(doc, first, chain[-1][1]):
            continue
        mentions = [m for _, _, m, _ in chain if m is not None]
        nations = tuple(dict.fromkeys(m.iso2 for m in mentions))
        kinds = [m.kind for m in mentions]
        leaders = [m.leader for m in mentions if m.leader]
        blankets = [kind for _, _, m, kind in chain if m is None]
        subjects.append(
            Subject(
                nations=nations,
                kind=kinds[0] if kinds else "blanket",
                start=first,
                end=chain[-1][1],
                leader=leaders[0] if leaders else None,
                blanket=bool(blankets),
                partial=bool(blankets) and all(kind == "partial" for kind in blankets),
                negated=bool(
                    lexicon.NEGATED_SUBJECT_RE.search(doc.text[max(0, first - 4) : first])
                ),
            )
        )
    return subjects


def _quote_at(doc: _Doc, position: int) -> Speaker | None:
    quote = doc.quote_at(position)
    return quote[2] if quote else None


def _speaker_subject(speaker: Speaker, start: int, end: int) -> Subject:
    return Subject(
        nations=(speaker.nation,) if speaker.nation else (),
        kind="quote",
        start=start,
        end=end,
        leader=speaker.leader,
        speaker=speaker,
    )


def _antecedent(doc: _Doc, kind: str, before: int, sentence_start: int) -> Subject | None:
    test = _ANTECEDENT_TESTS.get(kind, _is_topic)
    found = _last_chain(doc, kind, test, sentence_start, before)
    if found is not _UNINDEXED:
        if found is not None:
            return found
        local = []
    else:
        local = [s for s in _chains(doc, sentence_start, before) if s.nations or s.blanket]
    for subject in [*reversed(local), *reversed(doc.discourse)]:
        if kind == "leader" and not subject.leader and subject.kind != "demonym":
            continue
        if kind == "nation" and not subject.nations:
            continue
        return subject
    return None


def _resolve_pronoun(doc: _Doc, match: re.Match[str], sentence_start: int) -> Subject | None:
    kind = match.lastgroup or "group"
    if kind == "first":
        speaker = _quote_at(doc, match.start())
        return _speaker_subject(speaker, match.start(), match.end()) if speaker else None
    found = _antecedent(doc, kind, match.start(), sentence_start)
    if found is None:
        return None
    return Subject(
        nations=found.nations,
        kind="pronoun" if found.nations else found.kind,
        start=match.start(),
        end=match.end(),
        leader=found.leader,
        blanket=found.blanket,
        partial=found.partial,
        speaker=found.speaker,
    )


def _nearest_subject(doc: _Doc, start: int, end: int, sentence_start: int) -> Subject | None:
    best: Subject | None = None
    chains = _chains(doc, start, end)
    if chains:
        best = chains[-1]
    pronoun = None
    for match in doc.finditer(lexicon.PRONOUN, start, end):
        if not doc.masked.covers(match.start()):
            pronoun = match
    if pronoun and (best is None or pronoun.start() >= best.end):
        resolved = _resolve_pronoun(doc, pronoun, sentence_start)
        if resolved is not None:
            resolved.start, resolved.end = pronoun.start(), pronoun.end()
        return resolved
    return best


def _resolve_subject(
    doc: _Doc, start: int, end: int, sentence_start: int, inherited: Subject | None
) -> tuple[Subject | None, int]:
    """The subject of a cue whose left context is text[start:end], and where blockers count from.

    After a speech verb, the subject is the one after the last verb, with the subject of the
    words before that verb as the speaker: those words are resolved the same way, from the
    first verb on (one recursive call per verb was Python's recursion limit on a run of them).
    """
    speech = doc.within(doc.speech, start, end)
    if not speech:
        return _subject_before_speech(doc, start, end, sentence_start, inherited), start
    # Only the words before the first verb can be an empty region: the words before any later
    # verb hold the first, and no speech verb is an empty word (asserted in the lexicon).
    first = speech[0]
    if start > sentence_start and lexicon.EMPTY_REGION_RE.match(doc.text[start : first.start]):
        # "..., and said it would": the speaker is the sentence's subject.
        matrix = _first_chain(doc, sentence_start, start) or inherited
    else:
        matrix = _subject_before_speech(doc, start, first.start, sentence_start, inherited)
    embedded: Subject | None = None
    for index, verb in enumerate(speech):
        region_end = speech[index + 1].start if index + 1 < len(speech) else end
        embedded = _nearest_subject(doc, verb.end, region_end, sentence_start)
        if embedded is not None:
            if embedded.kind == "pronoun" and matrix is not None and embedded.start < verb.end + 12:
                embedded = Subject(
                    nations=matrix.nations,
                    kind="pronoun",
                    start=embedded.start,
                    end=embedded.end,
                    leader=matrix.leader,
                    blanket=matrix.blanket,
                    partial=matrix.partial,
                    speaker=matrix.speaker,
                )
            if embedded.speaker is None and matrix is not None:
                embedded.speaker = _subject_speaker(matrix)
        matrix = embedded  # the speaker for the subject after the next verb
    return embedded, speech[-1].end


def _subject_before_speech(
    doc: _Doc, start: int, end: int, sentence_start: int, inherited: Subject | None
) -> Subject | None:
    """The subject of text[start:end], which holds no speech verb."""
    found = _nearest_subject(doc, start, end, sentence_start)
    if found is None and lexicon.EMPTY_REGION_RE.match(doc.text[start:end]):
        return inherited
    return found


def _rightward_subject(doc: _Doc, start: int, end: int) -> Subject | None:
    """The nations right after "there is no question of" / "there will be no"."""
    found: list[Mention] = []
    position = start
    for mention in doc.within(doc.mentions, start, end):
        gap = doc.text[position : mention.start]
        if not (lexicon.COORD_GAP_RE.match(gap) if found else lexicon.RIGHTWARD_GAP_RE.match(gap)):
            break
        found.append(mention)
        position = mention.end
    if not found:
        return None
    nations = tuple(dict.fromkeys(m.iso2 for m in found))
    return Subject(nations=nations, kind=found[0].kind, start=found[0].start, end=position)


def _subject_speaker(subject: Subject) -> Speaker | None:
    if subject.speaker is not None:
        return subject.speaker
    if subject.leader:
        return Speaker(
            subject.leader, subject.leader, subject.nations[0] if subject.nations else None
        )
    return None


class _Attributions(NamedTuple):
    """A sentence's speech verbs in order, the comma or dash last before each (-1: none), and
    for each verb the index of the first one from it on that can end an attribution."""

    verbs: list[Span]
    marks: list[int]
    next_usable: list[int]


_MARK_RE = re.compile("[,—]")
_TOKEN_RE = re.compile(r"\S+")
_MAX_ATTRIBUTION_WORDS = 10


def _sentence_attributions(doc: _Doc, start: int, end: int) -> _Attributions:
    """What `_attribution` needs of text[start:end], found once per sentence: looked for from
    each cue group, every verb after it was tried, with a search back for its comma."""
    text = doc.text
    verbs = doc.within(doc.speech, start, end)
    marks: list[int] = []
    found = _MARK_RE.finditer(text, start, end)
    mark, pending = -1, next(found, None)
    for verb in verbs:
        while pending is not None and pending.start() < verb.start:
            mark, pending = pending.start(), next(found, None)
        marks.append(mark)
    usable = [False] * len(verbs)
    for mark, indexes in itertools.groupby(range(len(verbs)), key=marks.__getitem__):
        group = [i for i in indexes if _ATTRIBUTION_VERB_RE.match(text, verbs[i].start)]
        if mark < 0 or not group or lexicon.CLAUSE_SPLIT_RE.match(text, mark):
            continue
        # Where the word after the tenth from the mark starts: a verb past it is too far. One
        # scan per mark, no further than its last verb (the marks' verbs are disjoint stretches).
        words = _TOKEN_RE.finditer(text, mark, verbs[group[-1]].start)
        past = next(itertools.islice(words, _MAX_ATTRIBUTION_WORDS, None), None)
        for index in group:
            verb = verbs[index]
            usable[index] = (past is None or verb.start <= past.start()) and not doc.within(
                doc.cues, mark, verb.start
            )
    next_usable = [len(verbs)] * (len(verbs) + 1)
    for index in range(len(verbs) - 1, -1, -1):
        next_usable[index] = index if usable[index] else next_usable[index + 1]
    return _Attributions(verbs, marks, next_usable)


def _attribution(doc: _Doc, after: int, end: int) -> tuple[int, Speaker | None]:
    """A trailing ", Macron said" after position `after`: where it starts and who it names.

    The first speech verb after `after` that is an attribution verb, with a comma or dash
    between `after` and it, the last of them not a clause split, and at most ten words and no
    cue from there to the verb. Each verb's last comma comes no earlier than the one before's,
    so the verbs with one after `after` are the ones from a bisection on."""
    sentence_start, sentence_end, found = doc.attribution_cache
    assert sentence_start <= after and end == sentence_end, "asked about another sentence"
    if found is None:
        found = _sentence_attributions(doc, sentence_start, sentence_end)
        doc.attribution_cache = (sentence_start, sentence_end, found)
    index = found.next_usable[bisect.bisect_left(found.marks, after)]
    if index == len(found.verbs):
        return end, None
    verb, comma = found.verbs[index], found.marks[index]
    who_start, who_end = comma + 1, verb.start
    if not doc.text[who_start:who_end].strip():
        who_end = min(end, verb.end + 60)
        who_start = verb.end
    return comma, resolve_speaker(doc.text, who_start, who_end, doc.speakers)


def _condition(doc: _Doc, start: int, end: int) -> tuple[int, tuple[str, ...] | None]:
    """Where a condition starts in text[start:end], and its phrases (None: not conditional)."""
    text = doc.text
    strong = doc.search(lexicon.STRONG_CONDITION, start, end)
    marker = strong or doc.search(lexicon.WEAK_CONDITION, start, end)
    if marker is None:
        return end, None
    if strong is None and _ONLY_RE.search(text[start : marker.start()]):
        # "would only send a ship if ...": the "only" sits before the verb.
        strong = marker
    body_start, body_end = marker.end(), end
    body = text[body_start:body_end]
    phrases: list[str] = []
    for pattern, label in lexicon.KNOWN_CONDITIONS:
        if pattern.search(body) and not (label == "mandate" and "UN mandate" in phrases):
            phrases.append(label)
    for mention in _starting_in(doc.raw_spans, body_start, body_end):
        after = lexicon.NATION_CONDITION_AFTER_RE.match(text, mention.end, body_end)
        before = lexicon.NATION_CONDITION_BEFORE_RE.search(
            text, max(body_start, mention.start - 40), mention.start
        )
        hit = after or before
        if hit:
            noun = hit.group("noun").lower()
            label = "backstop" if noun in lexicon.BACKSTOP_NOUNS else "involvement"
            phrases.append(f"{doc.compiled.nation_short.get(mention.iso2, mention.iso2)} {label}")
    ceasefire = bool(lexicon.CEASEFIRE_RE.search(body))
    if not phrases and (ceasefire or not strong):
        return marker.start(), None
    if not phrases:
        words = re.sub(r"[,.;:]+$", "", body.strip()).split()
        phrases.append(" ".join(words[:6]))
    if ceasefire:
        phrases.append("ceasefire")
    return marker.start(), tuple(dict.fromkeys(phrases))


def _starting_in(spans: _Spans[_Item], start: int, end: int) -> list[_Item]:
    """The items that start in text[start:end], wherever they end and masked or not."""
    return spans.items[
        bisect.bisect_left(spans.starts, start) : bisect.bisect_left(spans.starts, end)
    ]


def _types(doc: _Doc, start: int, end: int) -> list[str]:
    """Pledge types named in text[start:end].

    The first signal of a noun phrase is its head: "training Ukrainian troops" is training and
    "funding for air defence" financing. A coordinator ("and", ",") opens a new head when a
    signal follows it closely. Generic carriers ("deploy", "personnel") yield to what they carry.
    """
    signals = doc.within(doc.signals, start, end)
    types: list[str] = []
    head: Span | None = None
    for signal in signals:
        if head is None:
            head = signal
            types.append(signal.kind)
            continue
        gap = doc.text[head.end : signal.start]
        coordinators = list(lexicon.COORDINATOR_RE.finditer(gap))
        opens_new = bool(coordinators) and len(gap[coordinators[-1].end() :].split()) <= (
            _MAX_HEAD_GAP_WORDS
        )
        if opens_new:
            head = signal
            types.append(signal.kind)
        elif (head.kind == GENERAL_TYPE or _CARRIER_RE.match(head.text)) and (
            signal.kind != head.kind
        ):
            types[-1] = signal.kind
            head = signal
    specific = [t for t in types if t != GENERAL_TYPE]
    if specific:
        types = specific
    if (
        ("troops" in types or "air" in types)
        and "backstop" in doc.compiled.type_order
        and lexicon.OUTSIDE_RE.search(doc.text, start, end)
    ):
        # Forces and air cover from outside the protected country back the force up.
        types = ["backstop" if t in ("troops", "air") else t for t in types]
    return list(dict.fromkeys(types))


def _sentence_candidates(doc: _Doc, sent_start: int, sent_end: int) -> list[CandidatePledge]:
    text = doc.text
    if not any(c.kind in lexicon.STANCE_KINDS for c in doc.within(doc.cues, sent_start, sent_end)):
        # No pledge here; only remember who the sentence is about, for later pronouns.
        actors = [
            m
            for m in doc.within(doc.mentions, sent_start, sent_end)
            if m.kind in ("name", "leader") and not _is_object(doc, m.start)
        ]
        if actors:
            first = actors[0]
            doc.discourse.append(
                Subject((first.iso2,), first.kind, first.start, first.end, first.leader)
            )
            del doc.discourse[:-3]
        return []
    doc.masked = _mask(text, sent_start, sent_end)
    doc.chain_cache = (sent_start, sent_end, None)
    doc.attribution_cache = (sent_start, sent_end, None)
    doc.chain_lookups = {}
    results: list[CandidatePledge] = []
    sentence_subjects: list[Subject] = []
    inherited: Subject | None = None
    hedged: bool | None = None  # looked up for the first candidate: half the sentences have none
    # Sliced once: a copy per cue group made a long sentence quadratic.
    evidence = text[sent_start:sent_end]
    for clause_start, clause_end in _clauses(text, sent_start, sent_end, doc.masked):
        cues = doc.within(doc.cues, clause_start, clause_end)
        if not any(cue.kind in lexicon.STANCE_KINDS for cue in cues):
            continue  # no verb group, so nothing that a condition could qualify
        clause_blocked = any(cue.kind in lexicon.CLAUSE_BLOCKERS for cue in cues)
        condition_start, conditions = _condition(doc, clause_start, clause_end)
        # Verbs inside the condition ("only if parliament approves") state no pledge.
        stance_cues = [
            cue for cue in cues if cue.kind in lexicon.STANCE_KINDS and cue.end <= condition_start
        ]
        groups = _cue_groups(doc, stance_cues)
        previous_end = clause_start
        subject: Subject | None = None
        for index, group in enumerate(groups):
            group_start, group_end = group[0].start, group[-1].end
            found, check_from = _resolve_subject(
                doc, previous_end, group_start, sent_start, subject or inherited
            )
            if lexicon.RIGHTWARD_CUE_RE.match(group[-1].text):
                found = _rightward_subject(doc, group_end, clause_end) or found
            own_subject = found is not None
            if found is None and index > 0:
                found, check_from = subject, previous_end
            previous_end = group_end
            if found is None:
                continue
            subject = found
            sentence_subjects.append(found)
            blockers = doc.within(doc.cues, min(check_from, found.start), group_end)
            if clause_blocked or any(c.kind in lexicon.REGION_BLOCKERS for c in blockers):
                continue
            next_start = groups[index + 1][0].start if index + 1 < len(groups) else clause_end
            attribution_start, attributed = _attribution(doc, group_end, sent_end)
            scope_end = min(next_start, attribution_start, condition_start)
            stance = _group_stance(group)
            if found.negated and stance in ("committed", "open"):
                stance = "declined"
            if conditions:
                stance = "conditional"
            if stance == "decide":
                continue
            types = _types(doc, group_end, scope_end)
            if not types and own_subject and found.kind not in ("pronoun", "quote"):
                types = _types(doc, found.start, group_start)
            if (
                not types
                and GENERAL_TYPE in doc.compiled.type_order
                and lexicon.GENERAL_NOUN_RE.search(text, found.start, scope_end)
            ):
                types = [GENERAL_TYPE]
            if not types:
                continue
            quote_speaker = _quote_at(doc, group_start)
            speaker = quote_speaker or found.speaker or attributed or _subject_speaker(found)
            nations, kind = found.nations, found.kind
            # A leader announcing what "the 26 nations" will do speaks for his own too.
            collective = not nations and found.blanket and not found.partial
            if collective and speaker is not None and speaker.leader and speaker.nation:
                nations, kind = (speaker.nation,), "collective"
            confidence = _KIND_CONFIDENCE.get(kind, 0.7) * _STANCE_CONFIDENCE[stance]
            if stance == "committed" and not any(
                lexicon.STRONG_COMMIT_RE.search(cue.text) for cue in group
            ):
                confidence *= 0.95
            if hedged is None:
                hedged = bool(doc.search(lexicon.HEDGE, sent_start, sent_end))
            if hedged:
                confidence *= 0.8
            if speaker is not None and speaker.nation and speaker.nation not in nations:
                confidence *= 0.9
            for nation in nations:
                if nation in doc.excluded:
                    continue
                leader = found.leader if found.leader and found.nations == (nation,) else None
                if leader is None and speaker is not None and speaker.nation == nation:
                    leader = speaker.leader
                for slug in types:
                    results.append(
                        CandidatePledge(
                            nation=nation,
                            type=slug,
                            stance=stance,
                            confidence=round(confidence, 2),
                            evidence=evidence,
                            evidence_start=sent_start,
                            evidence_end=sent_end,
                            conditions=conditions or (),
                            leader=leader,
                            speaker=speaker.name if speaker else None,
                            quote=_quote_text(doc, group_start),
                        )
                    )
        if subject is not None:
            inherited = subject
    topic = sentence_subjects[0] if sentence_subjects else None
    if topic is None:
        chains = [c for c in _chains(doc, sent_start, sent_end) if c.nations]
        topic = chains[0] if chains else None
    if topic is not None and (topic.nations or topic.blanket):
        doc.discourse.append(topic)
        del doc.discourse[:-3]
    doc.masked = _NO_ASIDES
    doc.chain_cache = (0, 0, None)
    doc.attribution_cache = (0, 0, None)
    doc.chain_lookups = {}
    return results


def _quote_text(doc: _Doc, position: int) -> str | None:
    quote = doc.quote_at(position)
    return doc.text[quote[0] : quote[1]] if quote else None
