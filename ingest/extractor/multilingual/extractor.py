"""The multilingual backend: per clause, who pledges (actor), what (type), how firmly (stance),
for whom (the protected country, not another theatre), on which condition."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ingest.extractor import lexicon as english
from ingest.extractor.gazetteer import Gazetteer
from ingest.extractor.mentions import raw_mentions
from ingest.extractor.multilingual import lexicon, nations
from ingest.extractor.multilingual.language import detect_language
from ingest.extractor.multilingual.mentions import Mention, elsewhere, matcher
from ingest.extractor.quotes import find_quotes
from ingest.extractor.sentences import split_sentences
from ingest.extractor.types import CandidatePledge, Extraction

_BASE_CONFIDENCE = {"name": 0.9, "leader": 0.9, "metonym": 0.85, "demonym": 0.85, "inherited": 0.65}
_QUOTE_RE = re.compile(r"[“\"«„‘]([^”\"»“’\n]{12,})[”\"»“’]")
# A line that ends without a full stop and is short: a headline, a caption or a crosshead.
_HEADLINE_MAX_WORDS = 20
_GENERIC_TROOPS = frozenset({"personnel", "staff", "unit", "units", "staff officers"})
_NAMED_KIT_RE = re.compile(
    r"abrams|leopard|challenger|leclerc|m113|m777|bushmaster|gepard|patriot|himars|samp|f-16"
    r"|mirage|rafale|gripen|typhoon|eurofighter|iris-t|taurus|caesar",
    re.I,
)
_MONEY_WORDS_RE = re.compile(r"^(?:millions?|milliards?|milliarden|millionen|miliardi|milioni"
                             r"|millones|package|milhões|bilhões|miljoen|miljard|mln|mld)$", re.I)
# How much each kind of cue says: a named deed or a refusal is plain, a bare future or a modal less.
_WEAK_COMMIT_RE = re.compile(
    r"^(?:will|would|shall|'ll|is to|are to|wird|werden|will|wollen|va|vont|zal|zullen|będzie"
    r"|będą|va|vor|\w+(?:era|eront|ira|iront|rà|ranno|rá|rán|rão))$",
    re.I,
)


@dataclass
class _Article:
    text: str
    words: lexicon.CompiledWords
    mentions: list[Mention]
    protected_at: list[int]
    adversary_at: list[int]
    leaders: dict[str, str] = field(default_factory=dict)  # leader name -> iso2
    discourse: tuple[str, ...] = ()
    discourse_age: int = 99
    later_conditions: dict[str, list[str]] = field(default_factory=dict)


class MultilingualExtractor:
    """Offline and deterministic: lexicons of how pledges are reported in eleven languages."""

    def extract(self, text: str, gazetteer: Gazetteer) -> Extraction:
        raw = raw_mentions(text, gazetteer.compiled)
        quotes = tuple(quote for quote, _ in find_quotes(text, raw))
        language = detect_language(text)
        words = lexicon.compiled(language)
        found = matcher(gazetteer, words.language, words.words.inflects_names).find(text)
        article = _Article(
            text=text,
            words=words,
            mentions=found,
            protected_at=[m.start for m in found if m.kind == "protected"],
            adversary_at=[m.start for m in found if m.kind == "adversary"],
            leaders={leader.name: leader.nation_iso2 for leader in gazetteer.leaders},
        )
        if not article.protected_at:
            # Nothing here is toward the protected country.
            return Extraction(candidates=(), quotes=quotes)
        best: dict[tuple[str, str], CandidatePledge] = {}
        sentences = split_sentences(text)
        cursor = 0
        for index, (start, end) in enumerate(sentences):
            inside = []
            while cursor < len(found) and found[cursor].start < start:
                cursor += 1
            position = cursor
            while position < len(found) and found[position].start < end:
                inside.append(found[position])
                position += 1
            previous_start = sentences[max(0, index - 3)][0]
            for candidate in _sentence(article, start, end, inside, previous_start):
                key = (candidate.nation, candidate.type)
                if key not in best or candidate.confidence > best[key].confidence:
                    best[key] = candidate
        candidates = [_with_later_conditions(article, c) for c in best.values()]
        candidates.sort(key=lambda c: (c.evidence_start, c.nation, c.type))
        return Extraction(candidates=tuple(candidates), quotes=quotes)


def _with_later_conditions(article: _Article, candidate: CandidatePledge) -> CandidatePledge:
    """A condition stated apart ("before deploying, we will seek a mandate") holds for the rest."""
    conditions = article.later_conditions.get(candidate.nation)
    if not conditions or candidate.stance not in ("open", "committed"):
        return candidate
    return CandidatePledge(**{
        **candidate.__dict__,
        "stance": "conditional",
        "conditions": tuple(dict.fromkeys((*candidate.conditions, *conditions))),
    })


def _near(positions: list[int], start: int, end: int) -> bool:
    return any(start <= p < end for p in positions)


def _is_actor(article: _Article, mention: Mention, clause_start: int) -> bool:
    if mention.kind in ("protected", "adversary") or mention.iso2 in nations.ADVERSARIES:
        return False
    words = article.words
    text = article.text
    before = text[max(clause_start, mention.start - 24) : mention.start]
    after = text[mention.end : mention.end + 40]
    if mention.kind == "demonym":
        # An adjective names an actor only beside one: "Italian troops", "soldats français".
        noun = words.actor_noun
        if noun is None:
            return False
        following = re.match(r"[\s\w-]{0,25}", after)
        near_after = noun.search(following.group()) if following else None
        near_before = noun.search(text, max(clause_start, mention.start - 30), mention.start)
        return bool(near_after and near_after.start() < 25) or near_before is not None
    if words.object_prep is not None:
        prep = words.object_prep.search(before)
        if prep:
            head = before[: prep.start()]
            # "the Prime Minister of Czechia": a title before "of" keeps the nation an actor.
            is_of = prep.group().split()[0].lower() in ("of", "de", "di", "von", "du", "des")
            if not (is_of and words.actor_noun and words.actor_noun.search(head[-30:])):
                return False
    return True


def _recipient_elsewhere(article: _Article, inside: list[Mention], start: int, end: int) -> bool:
    """A nation other than the protected one receives what is given ("radars to Manila")."""
    if article.words.recipient_prep is None:
        return False
    for mention in inside:
        if mention.kind in ("protected", "adversary") or not (start <= mention.start < end):
            continue
        before = article.text[max(start, mention.start - 16) : mention.start]
        if article.words.recipient_prep.search(before):
            return True
        if re.match(r"['’]s\s+(?:air\s+defen[cs]es?|armed\s+forces|navy|security|defen[cs]e)",
                    article.text[mention.end : mention.end + 30], re.I):
            return True
    return False


def _clauses(article: _Article, start: int, end: int) -> list[tuple[int, int]]:
    pattern = article.words.clause_break
    if pattern is None:
        return [(start, end)]
    spans, cursor = [], start
    for match in pattern.finditer(article.text, start, end):
        if match.start() > cursor:
            spans.append((cursor, match.start()))
        cursor = match.end()
    if end > cursor:
        spans.append((cursor, end))
    return spans


def _cues(article: _Article, start: int, end: int) -> dict[str, list[re.Match[str]]]:
    return {
        kind: list(pattern.finditer(article.text, start, end))
        for kind, pattern in article.words.cues.items()
        if pattern is not None
    }


def _stance(cues: dict[str, list[re.Match[str]]]) -> tuple[str, float] | None:
    """The clause's stance and how plainly its cues state it."""
    if cues.get("reopen"):
        return "open", 1.0
    pledged = any(cues.get(k) for k in ("decline", "open", "commit", "deed"))
    if cues.get("condition") and pledged:
        return "conditional", 1.0
    if cues.get("decline"):
        return "declined", 1.0
    if cues.get("open"):
        plain = any(len(m.group().split()) > 1 or len(m.group()) > 6 for m in cues["open"])
        return "open", 1.0 if plain else 0.9
    if cues.get("deed"):
        return "committed", 1.0
    if cues.get("commit"):
        strong = any(not _WEAK_COMMIT_RE.match(m.group()) for m in cues["commit"])
        return "committed", 1.0 if strong else 0.9
    return None


def _types(article: _Article, start: int, end: int) -> list[str]:
    text = article.text
    hits: dict[str, list[str]] = {}
    for slug, pattern in article.words.types.items():
        for match in pattern.finditer(text, start, end):
            hits.setdefault(slug, []).append(match.group().lower())
    for match in english.find_money(text[start:end]):
        hits.setdefault("financing", []).append(match.group())
    if "equipment" in hits and "financing" in hits:
        funded = any(not _MONEY_WORDS_RE.match(w) and not english.MONEY_RE.fullmatch(w)
                     for w in hits["financing"])
        named_kit = any(_NAMED_KIT_RE.search(w) for w in hits["equipment"])
        if funded or not named_kit:
            del hits["equipment"]  # money, even money for weapons, is financing
        else:
            del hits["financing"]  # "49 Abrams in a $245m package" hands over the kit
    if "troops" in hits and len(hits) > 1 and set(hits["troops"]) <= _GENERIC_TROOPS:
        del hits["troops"]  # "personnel to train Ukrainians": the training is the pledge
    outside = article.words.outside
    if outside is not None and outside.search(text, start, end):
        for slug in ("troops", "air"):
            if hits.pop(slug, None) is not None:
                hits.setdefault("backstop", []).append("outside")
    if len(hits) > 1:
        hits.pop("guarantee", None)
    return list(hits)


def _quote(article: _Article, start: int, end: int, at: int) -> str | None:
    for match in _QUOTE_RE.finditer(article.text, start, end):
        if match.start() <= at < match.end() or (end - start) - len(match.group()) < 40:
            return match.group(1)
    return None


def _condition_phrase(article: _Article, cues: dict[str, list[re.Match[str]]], end: int) -> tuple[str, ...]:
    marks = cues.get("condition") or []
    if not marks:
        return ()
    tail = article.text[marks[0].start() : end]
    return (" ".join(re.sub(r"[,.;:\"“”]+", " ", tail).split()[:8]),)


def _sentence(
    article: _Article, start: int, end: int, inside: list[Mention], previous_start: int
) -> list[CandidatePledge]:
    text = article.text
    words = article.words
    article.discourse_age += 1
    is_headline = not text[end - 1 : end] in ".!?\"”»" and len(text[start:end].split()) <= _HEADLINE_MAX_WORDS
    protected_here = _near(article.protected_at, start, end)
    if elsewhere(text, start, end) and not protected_here:
        return []
    if not protected_here and _recipient_elsewhere(article, inside, start, end):
        return []
    protected_near = protected_here or _near(article.protected_at, previous_start, end)
    if not protected_near and len(article.protected_at) < 3:
        return []
    speaker = next((m.leader for m in inside if m.kind == "leader"), None)
    results: list[CandidatePledge] = []
    sentence_types = _types(article, start, end)
    sentence_actors: tuple[str, ...] = ()
    for clause_start, clause_end in _clauses(article, start, end):
        cues = _cues(article, clause_start, clause_end)
        in_clause = [m for m in inside if clause_start <= m.start < clause_end]
        actors = [m for m in in_clause if _is_actor(article, m, clause_start)]
        nations_here = tuple(dict.fromkeys(m.iso2 for m in actors))
        kind = actors[0].kind if actors else "inherited"
        if not nations_here:
            blanket = words.blanket is not None and words.blanket.search(text, clause_start, clause_end)
            named = any(m.kind not in ("protected", "adversary") for m in in_clause)
            if blanket or named or article.discourse_age > 2:
                continue
            nations_here = article.discourse
        if cues.get("void"):
            continue
        stance = _stance(cues)
        if stance is None:
            if actors:
                sentence_actors = sentence_actors or nations_here
            continue
        stance_name, plainness = stance
        types = _types(article, clause_start, clause_end)
        type_factor = 1.0
        if not types:
            types, type_factor = sentence_types, 0.8
        if stance_name == "conditional" and not types:
            for nation in nations_here:
                article.later_conditions.setdefault(nation, []).extend(
                    _condition_phrase(article, cues, clause_end)
                )
        if actors:
            sentence_actors = sentence_actors or nations_here
        if not types:
            continue
        if "sanctions" in types and not _near(article.adversary_at, previous_start, end):
            types = [t for t in types if t != "sanctions"]
        confidence = _BASE_CONFIDENCE.get(kind, 0.7) * plainness * type_factor
        if not protected_here:
            confidence *= 0.85
        if len(nations_here) > 3:
            confidence *= 0.9
        if is_headline:
            confidence *= 0.85
        conditions = _condition_phrase(article, cues, clause_end) if stance_name == "conditional" else ()
        at = min((m.start() for ms in cues.values() for m in ms), default=clause_start)
        quote = _quote(article, start, end, at)
        for nation in nations_here:
            leader = next(
                (m.leader for m in actors if m.kind == "leader" and m.iso2 == nation), None
            )
            for slug in types:
                results.append(
                    CandidatePledge(
                        nation=nation,
                        type=slug,
                        stance=stance_name,
                        confidence=round(min(confidence, 0.99), 2),
                        evidence=text[start:end],
                        evidence_start=start,
                        evidence_end=end,
                        conditions=conditions,
                        leader=leader,
                        speaker=speaker,
                        quote=quote,
                    )
                )
    if sentence_actors:
        article.discourse, article.discourse_age = sentence_actors, 0
    return results
