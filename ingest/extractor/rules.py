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
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Generic, NamedTuple, TypeVar

from ingest.extractor import lexicon
from ingest.extractor.gazetteer import CompiledGazetteer, Gazetteer
from ingest.extractor.mentions import Mention, actor_mentions, raw_mentions
from ingest.extractor.quotes import Speaker, find_quotes, resolve_speaker
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
_Item = TypeVar("_Item", Mention, "Span")


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
    excluded: frozenset[str]
    # The text lowercased for the case-insensitive patterns' fast twins; None if it cannot be.
    folded: str | None = None
    masked: list[tuple[int, int]] = field(default_factory=list)
    # Chains of the current sentence, computed on first use: most sentences never need them.
    chain_cache: tuple[int, int, list[Subject] | None] = (0, 0, None)
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
        if not self.masked:
            return inside
        return [item for item in inside if not any(s <= item.start < e for s, e in self.masked)]


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
        mentions = actor_mentions(text, raw)
        cues = [
            Span(start, end, kind, text[start:end])
            for start, end, kind in lexicon.find_cues(text)
            if kind != "headline" or _is_headline_subject(text, start, mentions)
        ]
        speech = [Span(m.start(), m.end(), "speech") for m in lexicon.SPEECH_SCAN_RE.finditer(text)]
        folded = lexicon.fold_case(text)
        signals = _signals(text, folded, compiled)
        quote_pairs = find_quotes(text, raw)
        doc = _Doc(
            text=text,
            compiled=compiled,
            mentions=_Spans(mentions),
            raw=raw,
            raw_spans=_Spans(raw),
            cues=_Spans(cues),
            speech=_Spans(speech),
            signals=_Spans(signals),
            quotes=[(q.start, q.end, speaker) for q, speaker in quote_pairs],
            excluded=_role_scores(text, raw),
            folded=folded,
        )
        best: dict[tuple[str, str], CandidatePledge] = {}
        for start, end in split_sentences(text):
            for candidate in _sentence_candidates(doc, start, end):
                key = (candidate.nation, candidate.type)
                if key not in best or candidate.confidence > best[key].confidence:
                    best[key] = candidate
        ordered = sorted(best.values(), key=lambda c: (c.evidence_start, c.nation, c.type))
        return Extraction(candidates=tuple(ordered), quotes=tuple(q for q, _ in quote_pairs))


def _is_headline_subject(text: str, cue_start: int, mentions: list[Mention]) -> bool:
    """Headline grammar, "Denmark to send jets": only nations stand between the line's start
    (or a dateline dash or colon) and the bare infinitive."""
    line_start = max(text.rfind(c, 0, cue_start) for c in "\n:—.!?") + 1
    position = line_start
    for mention in mentions:
        if mention.end <= line_start or mention.start >= cue_start:
            continue
        if not lexicon.COORD_GAP_RE.match(text[position : mention.start]):
            return False
        position = mention.end
    return position > line_start and not text[position:cue_start].strip()


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
        for match in lexicon.find_money(text):
            if not any(s.start <= match.start() < s.end for s in found):
                found.append(Span(match.start(), match.end(), "financing", match.group()))
    return sorted(found, key=lambda s: s.start)


def _mask(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The asides of text[start:end]: relative clauses, dashes, brackets, "X said" inserts."""
    if not any(gate.search(text, start, end) for gate in lexicon.PARENTHETICAL_GATE_RES):
        return []
    return [
        (start + m.start(), start + m.end())
        for m in lexicon.PARENTHETICAL_RE.finditer(text[start:end])
    ]


def _clauses(
    text: str, start: int, end: int, masked: list[tuple[int, int]]
) -> list[tuple[int, int]]:
    if not lexicon.CLAUSE_SPLIT_GATE_RE.search(text, start, end):
        return [(start, end)] if end > start else []
    spans = []
    cursor = start
    for match in lexicon.CLAUSE_SPLIT_RE.finditer(text, start, end):
        if any(s <= match.start() < e for s, e in masked):
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
            cached = _sentence_chains(doc, sentence_start, sentence_end)
            doc.chain_cache = (sentence_start, sentence_end, cached)
        chains = cached
    else:
        chains = _sentence_chains(doc, start, end)
    return [chain for chain in chains if start <= chain.start and chain.end <= end]


def _sentence_chains(doc: _Doc, start: int, end: int) -> list[Subject]:
    items: list[tuple[int, int, Mention | None, str]] = [
        (m.start, m.end, m, "") for m in doc.within(doc.mentions, start, end)
    ]
    for match in doc.finditer(lexicon.BLANKET, start, end):
        if not any(s <= match.start() < e for s, e in doc.masked) and not any(
            i[0] <= match.start() < i[1] or match.start() <= i[0] < match.end() for i in items
        ):
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
    for start, end, speaker in doc.quotes:
        if start <= position < end:
            return speaker
    return None


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
        if not any(s <= match.start() < e for s, e in doc.masked):
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
    """The subject of a cue whose left context is text[start:end], and where blockers count from."""
    speech = doc.within(doc.speech, start, end)
    if speech:
        verb = speech[-1]
        if start > sentence_start and lexicon.EMPTY_REGION_RE.match(doc.text[start : verb.start]):
            # "..., and said it would": the speaker is the sentence's subject.
            topics = [s for s in _chains(doc, sentence_start, start) if s.nations]
            matrix = topics[0] if topics else inherited
        else:
            matrix, _ = _resolve_subject(doc, start, verb.start, sentence_start, inherited)
        embedded = _nearest_subject(doc, verb.end, end, sentence_start)
        if embedded is None:
            return None, verb.end
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
        return embedded, verb.end
    found = _nearest_subject(doc, start, end, sentence_start)
    if found is None and lexicon.EMPTY_REGION_RE.match(doc.text[start:end]):
        return inherited, start
    return found, start


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


def _attribution(doc: _Doc, after: int, end: int) -> tuple[int, Speaker | None]:
    """A trailing ", Macron said" after position `after`: where it starts and who it names."""
    for verb in doc.within(doc.speech, after, end):
        if not _ATTRIBUTION_VERB_RE.match(doc.text, verb.start):
            continue
        comma = max(doc.text.rfind(",", after, verb.start), doc.text.rfind("—", after, verb.start))
        if comma < 0 or lexicon.CLAUSE_SPLIT_RE.match(doc.text, comma):
            continue
        who_start, who_end = comma + 1, verb.start
        if not doc.text[who_start:who_end].strip():
            who_end = min(end, verb.end + 60)
            who_start = verb.end
        if (
            doc.within(doc.cues, comma, verb.start)
            or len(doc.text[comma : verb.start].split()) > 10
        ):
            continue
        return comma, resolve_speaker(doc.text, who_start, who_end, doc.raw)
    return end, None


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
    results: list[CandidatePledge] = []
    sentence_subjects: list[Subject] = []
    inherited: Subject | None = None
    hedged: bool | None = None  # looked up for the first candidate: half the sentences have none
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
            evidence = text[sent_start:sent_end]
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
    doc.masked = []
    doc.chain_cache = (0, 0, None)
    return results


def _quote_text(doc: _Doc, position: int) -> str | None:
    for start, end, _ in doc.quotes:
        if start <= position < end:
            return doc.text[start:end]
    return None
