"""The multilingual backend: per clause, who pledges (actor), what (type), how firmly (stance),
for whom (the protected country, not another theatre), on which condition."""

from __future__ import annotations

import bisect
import itertools
import re
from dataclasses import dataclass, field

from ingest.extractor import budget
from ingest.extractor.gazetteer import CompiledGazetteer, Gazetteer
from ingest.extractor.lexicon import fold_case
from ingest.extractor.mentions import raw_mentions
from ingest.extractor.multilingual import lexicon, nations
from ingest.extractor.multilingual.language import detect_language
from ingest.extractor.multilingual.mentions import Mention, elsewhere, elsewhere_count, matcher
from ingest.extractor.quotes import find_quotes
from ingest.extractor.sentences import split_sentences
from ingest.extractor.types import CandidatePledge, Extraction

# How often each type and stance is right on real articles (measured on the development set,
# evaluation/README.md): they scale how sure the grammar is, so that confidence means the same
# across types.
_TYPE_PRIOR = {
    "sanctions": 1.0,
    "financing": 1.0,
    "training": 0.95,
    "equipment": 0.95,
    "troops": 0.8,
    "air": 0.7,
    "backstop": 0.7,
    "monitoring": 0.65,
    "sea": 0.6,
    "guarantee": 0.6,
}
_STANCE_PRIOR = {"committed": 1.0, "declined": 1.0, "open": 0.8, "conditional": 0.8}
_BASE_CONFIDENCE = {
    "name": 0.9,
    "leader": 0.9,
    "metonym": 0.85,
    "demonym": 0.85,
    "elided": 0.8,
    "inherited": 0.65,
}
_QUOTE_RE = re.compile(r"[“\"«„‘]([^”\"»“’\n]{12,400})[”\"»“’]")
# A line that ends without a full stop and is short: a headline, a caption or a crosshead.
_HEADLINE_MAX_WORDS = 20
_GENERIC_TROOPS = frozenset(
    {
        "personnel",
        "staff",
        "unit",
        "units",
        "staff officers",
        "infantry",
        "forces",
        "kräfte",
        "militari",
        "militares",
        "militaires",
    }
)
_NAMED_KIT_RE = re.compile(
    r"abrams|leopard|challenger|leclerc|m113|m777|bushmaster|gepard|patriot|himars|samp|f-16"
    r"|mirage|rafale|gripen|typhoon|eurofighter|iris-t|taurus|caesar",
    re.I,
)
_AIRCRAFT_RE = re.compile(
    r"jets?|f-1[68]s?|rafales?|gripens?|typhoons?|eurofighters?|mirages?|fighters?|warplanes"
    r"|aircraft|avions|kampfjets?|caccia|cazas",
    re.I,
)
_DEPLOY_RE = re.compile(
    r"\b(?:send\w*|sent|deploy\w*|station\w*|patrol\w*|envoy\w*|enverr\w*|entsend\w*"
    r"|contribut\w*|includ\w*|join\w*"
    r"|schick\w*|invi\w*|enviar\w*)",
    re.I,
)
_HANDOVER_RE = re.compile(
    r"\b(?:deliver\w*|suppl\w*|donat\w*|transfer\w*|giv\w*|gave|hand\w*|provid\w*|livr\w*"
    r"|fourni\w*|liefer\w*|fornir\w*|entreg\w*|suministr\w*|cede\w*|recevr\w*|receive\w*"
    r"|get\b|obtain\w*)",
    re.I,
)
_PURPOSE_RE = re.compile(r"\s+(?:for|to|towards|pour|für|per|para|na|voor)\s+[^,.;]{0,40}", re.I)
_MONEY_WORDS_RE = re.compile(
    r"^(?:millions?|milliards?|milliarden|millionen|miliardi|milioni"
    r"|millones|package|milhões|bilhões|miljoen|miljard|mln|mld)$",
    re.I,
)
_PROTECTED_ADJECTIVE = (
    r"(?:ukraine['’]s|ukrainian\w*|ukrainien\w*|ukrainisch\w*|ucrain[oiea]\b|ucranian\w*"
    r"|ucranios?\b|ukraińsk\w*|oekraïens\w*|ukrán\b|українськ\w*)"
)
_PROTECTED_BEFORE_RE = re.compile(rf"\b{_PROTECTED_ADJECTIVE}(?:\s+[\w-]+)?\s+$", re.I)
_PROTECTED_AFTER_RE = re.compile(rf"\s+{_PROTECTED_ADJECTIVE}", re.I)
_PREFIX_CHARS = 25
_ACCORDING_RE = re.compile(
    r"\b(?:according|selon|laut|secondo|según|według|volgens)\s+(?:to\s+)?$", re.I
)
_PLACE_PREP_RE = re.compile(
    r"\b(?:to|in|into|inside|en|au|aux|à|nach|in|nel|nella|a|al|w|na|naar)\s+(?:the\s+)?$", re.I
)
# Forces named as those protected or supported ("air cover for European forces").
_SUPPORTED_FORCES_RE = re.compile(
    r"\b(?:for|supporting|support|backing|protect\w*|cover\w*|assist\w*)\s+(?:the\s+)?"
    r"(?:[\w-]+\s+){0,2}$",
    re.I,
)
_MANDATE_RE = re.compile(
    r"mandat\w*|parliament\w*|parlament\w*|riigikogu|bundestag|sejm|tweede kamer|vote|vot[eo]",
    re.I,
)
_FORCE_FORMS = frozenset({"troops", "air", "sea", "training", "monitoring", "backstop"})
_LIST_INTRO_WORDS = 5
_STANCE_KINDS = ("decline", "open", "commit", "deed", "reopen")
_SUBORDINATE_RE = re.compile(
    r"\b(?:because|since|as it|which|who|porque|ya que|parce que|puisque|weil|da sie|perché|poiché"
    r"|ponieważ|bo|omdat|doordat|pentru că|deoarece|que (?:están|estaban|son|eran|no)"
    r"|che (?:sono|erano|non))\b",
    re.I,
)
# Articles and partitives inside a list of nations ("de la Belgique, des Pays-Bas").
_ARTICLE_GAP_RE = re.compile(r"\b(?:de la|de l['’]|des|du|de|der|den|the|la|le|les|el|los)\b", re.I)
_RELATIVE_RE = re.compile(
    r",\s*(?:which|who|que|qui|che|die|der|który|która|które|care|dat|die)\b", re.I
)
_ASKED_OF_RE = re.compile(
    r"['’]s\s+(?:[\w-]+\s+)?(?:request|requests|call|calls|demand|demands|desire|appeal|plea|wish)\b",
    re.I,
)
_AGENT_OF_PLAN_RE = re.compile(
    r"\b(?:led|proposed|hosted|chaired|organi[sz]ed|launched|run|convened)\s+by\s+(?:the\s+)?$",
    re.I,
)
# The words that may join the nations of one list ("France, Germany and the UK"), and the
# institutions that may stand among them ("the USA, the EU and Britain").
_LIST_WORDS_TEXT = (
    "and or et und e y i en ou oder și és та і as well sowie the la le les die das der den"
    " l' l’ eu nato un g7"
)
_LIST_WORDS = frozenset(_LIST_WORDS_TEXT.split())
_LIST_TOKEN_RE = re.compile(r"[^\s,]+")
_MEMBERS_RE = re.compile(
    r"\b(?:including|like|such as|among them|notably|namely|dont|notamment"
    r"|darunter|tra cui|come|entre ellos|como|w tym|onder wie|inclusiv)\b",
    re.I,
)
_CEASEFIRE_RE = re.compile(
    r"cease-?fire|truce|peace|armistice|cessez-le-feu|paix|waffenstillstand|frieden"
    r"|cessate il fuoco|tregua|pace|alto el fuego|paz|rozejm|pokój|staakt-het-vuren|vrede"
    r"|încetar\w* a focului"
    r"|tűzszünet|béke|перемир|припинення вогню|мир",
    re.I,
)
_NAMED_CONDITION_RE = re.compile(
    r"mandate|mandat|parliament|parlament|vote|approval|backstop|back-stop|guarantee|u\.?s\.?\b"
    r"|united states|washington|american|clearly set|clearly defined|agree",
    re.I,
)
# Languages whose subject is always spoken: a clause without one takes a pronoun's antecedent.
_NEEDS_PRONOUN = frozenset({"en", "fr", "de", "nl"})
_NOT_DEFENCE_MONEY_RE = re.compile(
    r"\b(?:humanitarian|humanitaire|humanitär\w*|umanitar\w*|humanitari\w*|food|refugees?"
    r"|world food programme|research|cent(?:er|re)|institute|university|hospital)",
    re.I,
)
_SCALE = (
    r"bn|billion|million|m|trillion|milliards?|millions?|milliarden?|millionen?|miliard[io]|milion[io]"
    r"|mil millones|millones|miliardów|milionów|mln|mld|miljoen|miljard|milhões|bilhões|milioane"
    r"|miliarde|milliárd|millió"
)
_CURRENCY = (
    r"euros?|dollars?|dólares|dollari|pounds?|sterling|kroner|kronor|krona|crowns?|yen|zlotys?"
    r"|złotych|zł|francs?|franchi|francos|livres|sterline|libras|dollaro|franken|pfund|korun|forint"
)
# An amount of money in any of the languages: "$3bn", "USD 500 million", "30 millions d'euros".
_MONEY_RE = re.compile(
    rf"(?:(?<![\w$])(?:[€$£¥]|[A-Z]{{1,3}}\$|US\$|(?:USD|EUR|GBP|CHF|NOK|SEK|DKK|PLN|CAD|AUD)\s)"
    rf"\s?\d[\d.,]*(?:\s*(?:{_SCALE})\b)?"
    rf"|\b\d[\d.,]*\s*(?:(?:{_SCALE})\s+)?(?:(?:de|d['’]|di)\s*)?(?:[a-z]+\s+)?(?:{_CURRENCY})\b"
    rf"|\b\d[\d.,]*\s*(?:{_SCALE})\s*(?:€|\$|£))",
    re.I,
)
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
    gazetteer: CompiledGazetteer
    mentions: list[Mention]
    protected_at: list[int]
    adversary_at: list[int]
    leaders: dict[str, str] = field(default_factory=dict)  # leader name -> iso2
    discourse: tuple[str, ...] = ()
    discourse_age: int = 99
    later_conditions: dict[str, list[str]] = field(default_factory=dict)
    # The (type, stance) a blanket subject just pledged, for members named in the next sentence.
    blanket_pledge: tuple[str, str] | None = None
    elsewhere_article: bool = False
    unanchored: bool = False
    cue_matches: dict[str, _Matches] = field(default_factory=dict)
    type_matches: dict[str, _Matches] = field(default_factory=dict)
    signal_matches: _Matches | None = None
    money_matches: _Matches | None = None


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
            gazetteer=gazetteer.compiled,
            mentions=found,
            protected_at=[m.start for m in found if m.kind == "protected"],
            adversary_at=[m.start for m in found if m.kind == "adversary"],
            leaders={leader.name: leader.nation_iso2 for leader in gazetteer.leaders},
        )
        folded = fold_case(text)
        article.cue_matches = {
            kind: _Matches(found) for kind, found in words.cues.scan(text, folded).items()
        }
        article.type_matches = {
            slug: _Matches(found) for slug, found in words.types.scan(text, folded).items()
        }
        signals = gazetteer.compiled.signal_re
        article.signal_matches = _Matches(list(signals.finditer(text)) if signals else [])
        article.money_matches = _Matches(list(_MONEY_RE.finditer(text)))
        # An article mostly about another theatre speaks of the protected country only where
        # it names it.
        article.elsewhere_article = elsewhere_count(text) > max(1, len(article.protected_at))
        if not article.protected_at and not article.adversary_at and elsewhere_count(text):
            # Another theatre, and nothing toward the protected country or its aggressor.
            return Extraction(candidates=(), quotes=quotes)
        # A passage that names neither the protected country nor another theatre may be an
        # excerpt of a story about it; its candidates are less sure.
        article.unanchored = not article.protected_at
        best: dict[tuple[str, str], CandidatePledge] = {}
        sentences = split_sentences(text)
        previous: list[CandidatePledge] = []
        cursor = 0
        for index, (start, end) in enumerate(sentences):
            budget.check()
            inside = []
            while cursor < len(found) and found[cursor].start < start:
                cursor += 1
            position = cursor
            while position < len(found) and found[position].start < end:
                inside.append(found[position])
                position += 1
            previous_start = sentences[max(0, index - 3)][0]
            blanket_pledge, article.blanket_pledge = article.blanket_pledge, None
            emitted = _sentence(article, start, end, inside, previous_start)
            if not emitted and (previous or blanket_pledge):
                emitted = _list_continuation(article, start, end, inside, previous, blanket_pledge)
            previous = emitted
            for candidate in emitted:
                key = (candidate.nation, candidate.type)
                if key not in best or candidate.confidence > best[key].confidence:
                    best[key] = candidate
        # A general pledge to take part is a row only where the article names no form of the
        # guarantee force that the nation is committed or open to.
        specific = {
            nation
            for (nation, slug), c in best.items()
            if slug in _FORCE_FORMS and c.stance in ("committed", "open")
        }
        candidates = [
            _with_later_conditions(article, c)
            for c in best.values()
            if c.type != "guarantee" or c.nation not in specific
        ]
        candidates.sort(key=lambda c: (c.evidence_start, c.nation, c.type))
        return Extraction(candidates=tuple(candidates), quotes=quotes)


def _list_continuation(
    article: _Article,
    start: int,
    end: int,
    inside: list[Mention],
    previous: list[CandidatePledge],
    blanket_pledge: tuple[str, str] | None,
) -> list[CandidatePledge]:
    """A sentence that only names the members ("These are Belgium, the Netherlands and Norway")
    carries on the previous sentence's pledge for them."""
    actors = [m for m in inside if m.kind in ("name", "metonym")]
    listed = all(
        _is_list_gap(_ARTICLE_GAP_RE.sub(" ", article.text[a.end : b.start]))
        for a, b in itertools.pairwise(actors)
    )
    # The list is the sentence: a few words to introduce it ("These are", "Il s'agit de").
    short = bool(actors) and (
        len(article.text[start : actors[0].start].split()) <= _LIST_INTRO_WORDS
        and len(article.text[actors[-1].end : end].split()) <= 3
    )
    if (
        len({m.iso2 for m in actors}) < 2
        or not listed
        or not short
        or any(_cues(article, start, end).values())
        or _types(article, start, end)
    ):
        return []
    pledges = {(c.type, c.stance) for c in previous} or {blanket_pledge}
    if len(pledges) != 1 or None in pledges:
        return []
    slug, stance = pledges.pop()
    return [
        CandidatePledge(
            nation=iso2,
            type=slug,
            stance=stance,
            confidence=0.6,
            evidence=article.text[start:end],
            evidence_start=start,
            evidence_end=end,
        )
        for iso2 in dict.fromkeys(m.iso2 for m in actors)
    ]


def _with_later_conditions(article: _Article, candidate: CandidatePledge) -> CandidatePledge:
    """A condition stated apart ("before deploying, we will seek a mandate") holds for the rest."""
    conditions = article.later_conditions.get(candidate.nation)
    if not conditions or candidate.stance not in ("open", "committed"):
        return candidate
    return CandidatePledge(
        **{
            **candidate.__dict__,
            "stance": "conditional",
            "conditions": tuple(dict.fromkeys((*candidate.conditions, *conditions))),
        }
    )


def _near(positions: list[int], start: int, end: int) -> bool:
    """Whether a sorted position lies in [start, end): a bisection, so long texts stay linear."""
    at = bisect.bisect_left(positions, start)
    return at < len(positions) and positions[at] < end


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
        if near_after and near_after.start() < 25:
            return True
        if words.language == "en":
            return False  # English adjectives stand before their noun
        word_before = re.search(
            r"([\w'’-]+(?:\s+[\w'’-]+)?)\s+$",
            text[max(clause_start, mention.start - 30) : mention.start],
        )
        return bool(word_before and noun.search(word_before.group(1)))
    if after[:1] == "$":
        return False  # "US$1 billion", "C$40 million": a currency, not a nation
    if _RELATIVE_RE.match(after):
        return True  # "the United States, which will have no troops": subject of its clause
    if _ASKED_OF_RE.match(after):
        return False  # "Poland's request for arms": asking is not pledging
    if _AGENT_OF_PLAN_RE.search(before):
        return False  # "a proposal led by France": who runs a plan is not who pledges to it
    if words.object_prep is not None:
        prep = words.object_prep.search(before)
        if prep:
            head = before[: prep.start()]
            # "the Prime Minister of Czechia": a title before "of" keeps the nation an actor.
            is_of = prep.group().split()[0].lower() in ("of", "de", "di", "von", "du", "des")
            if not (is_of and words.actor_noun and words.actor_noun.search(head[-30:])):
                return False
    return True


def _actors(article: _Article, mentions: list[Mention], clause_start: int) -> list[Mention]:
    """The actor mentions; a conjunct takes the first conjunct's role ("led by France and
    Britain", "to Poland and Romania")."""
    actors: list[Mention] = []
    previous: tuple[Mention, bool] | None = None
    for mention in mentions:
        if (
            previous is not None
            and mention.kind != "demonym"
            and previous[0].kind not in ("protected", "adversary")
            and _is_list_gap(article.text[previous[0].end : mention.start])
        ):
            is_actor = previous[1] and mention.kind not in ("protected", "adversary")
        else:
            is_actor = _is_actor(article, mention, clause_start)
        if is_actor:
            actors.append(mention)
        previous = (mention, is_actor)
    return actors


def _recipient_elsewhere(article: _Article, inside: list[Mention], start: int, end: int) -> bool:
    """A nation other than the protected one receives what is given ("radars to Manila")."""
    if article.words.recipient_prep is None:
        return False
    for mention in inside:
        if mention.kind in ("protected", "adversary", "leader", "demonym") or not (
            start <= mention.start < end
        ):
            continue  # a person is a speaker, not a receiver ("according to Kristersson")
        before = article.text[max(start, mention.start - 16) : mention.start]
        if _ACCORDING_RE.search(before):
            continue
        if article.words.recipient_prep.search(before):
            return True
        if re.match(
            r"['’]s\s+(?:air\s+defen[cs]es?|armed\s+forces|navy|security|defen[cs]e)",
            article.text[mention.end : mention.end + 30],
            re.I,
        ):
            return True
    return False


def _destination_elsewhere(article: _Article, inside: list[Mention], start: int, end: int) -> bool:
    """A nation named as a place ("in Bulgaria", "to Poland")."""
    prep = article.words.object_prep
    return prep is not None and any(
        m.kind not in ("protected", "adversary", "leader", "demonym")
        and _PLACE_PREP_RE.search(article.text, max(start, m.start - 12), m.start)
        and not _RELATIVE_RE.match(article.text, m.end)
        for m in inside
    )


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


class _Matches:
    """One pattern's matches over the whole article, sliced by position: each pattern scans
    the text once, however many clauses and subjects ask about it."""

    __slots__ = ("matches", "starts")

    def __init__(self, matches: list[re.Match[str]]) -> None:
        self.matches = matches
        self.starts = [m.start() for m in matches]

    def inside(self, start: int, end: int) -> list[re.Match[str]]:
        starts = self.starts
        if not starts:
            return []  # most kinds have no match in most articles: asked per clause and subject
        lo = bisect.bisect_left(starts, start)
        hi = bisect.bisect_left(starts, end, lo)
        return [m for m in self.matches[lo:hi] if m.end() <= end] if hi > lo else []


def _cues(article: _Article, start: int, end: int) -> dict[str, list[re.Match[str]]]:
    return {kind: found.inside(start, end) for kind, found in article.cue_matches.items()}


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
    for slug, found in article.type_matches.items():
        for match in found.inside(start, end):
            if slug == "troops" and (
                _PROTECTED_BEFORE_RE.search(text, max(start, match.start() - 24), match.start())
                or _PROTECTED_AFTER_RE.match(text, match.end(), min(end, match.end() + 24))
                or _SUPPORTED_FORCES_RE.search(text, max(start, match.start() - 30), match.start())
            ):
                # "Ukrainian soldiers" are the protected country's own forces; "air cover for
                # European forces" supports a force, it does not send one.
                continue
            hits.setdefault(slug, []).append(match.group().lower())
    if article.signal_matches.matches:
        # Types editors added learn their words from the gazetteer's signals.
        for match in article.signal_matches.inside(start, end):
            signal = " ".join(match.group().lower().split())
            slug = article.gazetteer.signal_types.get(signal)
            if slug and slug not in article.type_matches:
                hits.setdefault(slug, []).append(signal)
    amounts = article.money_matches.inside(start, end)
    if amounts:
        hits.setdefault("financing", []).append("amount")
        # "€10 million for the force's logistics": what the money pays for is not pledged apart.
        for amount in amounts:
            purpose = _PURPOSE_RE.match(text, amount.end(), min(end, amount.end() + 40))
            if purpose:
                for slug in [s for s in hits if s != "financing"]:
                    hits[slug] = [w for w in hits[slug] if w not in purpose.group().lower()]
                    if not hits[slug]:
                        del hits[slug]
    if "equipment" in hits and "financing" in hits:
        funded = any(w != "amount" and not _MONEY_WORDS_RE.match(w) for w in hits["financing"])
        named_kit = any(_NAMED_KIT_RE.search(w) for w in hits["equipment"])
        if funded or not named_kit:
            del hits["equipment"]  # money, even money for weapons, is financing
        else:
            del hits["financing"]  # "49 Abrams in a $245m package" hands over the kit
    # Jets sent or contributed to a mission are air policing; jets handed over are kit.
    if (
        "equipment" in hits
        and all(_AIRCRAFT_RE.search(w) for w in hits["equipment"])
        and _DEPLOY_RE.search(text, start, end)
        and not _HANDOVER_RE.search(text, start, end)
    ):
        hits.setdefault("air", []).extend(hits.pop("equipment"))
    if "troops" in hits and len(hits) > 1 and set(hits["troops"]) <= _GENERIC_TROOPS:
        del hits["troops"]  # "personnel to train Ukrainians": the training is the pledge
    outside = article.words.outside
    if outside is not None and outside.search(text, start, end):
        for slug in ("troops", "air"):
            if hits.pop(slug, None) is not None:
                hits.setdefault("backstop", []).append("outside")
    if "financing" in hits and _NOT_DEFENCE_MONEY_RE.search(text, start, end):
        del hits["financing"]  # humanitarian and food aid is not money for defence or budget
    if len(hits) > 1:
        hits.pop("guarantee", None)
    return list(hits)


def _quote(article: _Article, start: int, end: int, at: int) -> str | None:
    for match in _QUOTE_RE.finditer(article.text, start, end):
        if match.start() <= at < match.end() or (end - start) - len(match.group()) < 40:
            return match.group(1)
    return None


def _condition_phrase(
    article: _Article, cues: dict[str, list[re.Match[str]]], end: int
) -> tuple[str, ...]:
    marks = cues.get("condition") or []
    if not marks:
        return ()
    tail = article.text[marks[0].start() : end]
    return (" ".join(re.sub(r"[,.;:\"“”]+", " ", tail).split()[:8]),)


def _is_list_gap(gap: str) -> bool:
    """Whether only commas, conjunctions and articles stand between two nations."""
    return len(gap) <= 40 and all(
        token.lower() in _LIST_WORDS for token in _LIST_TOKEN_RE.findall(gap)
    )


def _groups(article: _Article, actors: list[Mention]) -> list[list[Mention]]:
    """Actors joined only by commas and "and" ("France, Germany and Italy") form one subject."""
    groups: list[list[Mention]] = []
    for mention in actors:
        if groups:
            gap = article.text[groups[-1][-1].end : mention.start]
            if _is_list_gap(gap):
                groups[-1].append(mention)
                continue
        groups.append([mention])
    return groups


def _scoped(
    cues: dict[str, list[re.Match[str]]], start: int, end: int
) -> dict[str, list[re.Match[str]]]:
    return {kind: [m for m in ms if start <= m.start() < end] for kind, ms in cues.items()}


def _until_subordinate(
    article: _Article, cues: dict[str, list[re.Match[str]]], start: int, end: int
) -> int:
    """Where a subject's words end: at a "because" or a "which" after its first verb, whose
    clause says something else ("promised tanks that were not in use because...")."""
    firsts = [
        m.start()
        for kind in _STANCE_KINDS
        for m in cues.get(kind) or []
        if start <= m.start() < end
    ]
    if not firsts:
        return end
    found = _SUBORDINATE_RE.search(article.text, min(firsts), end)
    return found.start() if found else end


def _voided(cues: dict[str, list[re.Match[str]]]) -> bool:
    """A hope, demand, threat or deferral governs what follows it ("urged X to send")."""
    voids = cues.get("void") or []
    if not voids:
        return False
    stated = [m.start() for kind, ms in cues.items() if kind != "void" for m in ms]
    return not stated or min(m.start() for m in voids) <= min(stated)


def _is_ceasefire_only(phrase: tuple[str, ...]) -> bool:
    """Every guarantee assumes a ceasefire: waiting for one alone is no condition."""
    return (
        bool(phrase)
        and bool(_CEASEFIRE_RE.search(phrase[0]))
        and not _NAMED_CONDITION_RE.search(phrase[0])
    )


def _sentence(
    article: _Article, start: int, end: int, inside: list[Mention], previous_start: int
) -> list[CandidatePledge]:
    text = article.text
    words = article.words
    article.discourse_age += 1
    is_headline = (
        text[end - 1 : end] not in '.!?"”»' and len(text[start:end].split()) <= _HEADLINE_MAX_WORDS
    )
    if text[end - 1 : end] == "?":
        return []  # a question states no pledge
    protected_here = _near(article.protected_at, start, end)
    elsewhere_here = elsewhere(text, start, end)
    if (article.elsewhere_article or elsewhere_here) and not protected_here:
        return []
    if article.elsewhere_article and elsewhere_here:
        return []  # an article about another theatre names Ukraine as a comparison
    if not protected_here and _recipient_elsewhere(article, inside, start, end):
        return []
    if not protected_here and _destination_elsewhere(article, inside, start, end):
        return []  # "Rafales sent to Lithuania", "troops to a battlegroup in Bulgaria"
    adversary_near = _near(article.adversary_at, previous_start, end)
    protected_near = protected_here or _near(article.protected_at, previous_start, end)
    toward_protected = protected_near or len(article.protected_at) >= 3 or article.unanchored
    speaker = next((m.leader for m in inside if m.kind == "leader"), None)
    results: list[CandidatePledge] = []
    sentence_types = _types(article, start, end)
    clauses = _clauses(article, start, end)
    single_clause = len(clauses) == 1
    sentence_actors: tuple[str, ...] = ()
    for clause_start, clause_end in clauses:
        cues = _cues(article, clause_start, clause_end)
        in_clause = [m for m in inside if clause_start <= m.start < clause_end]
        actors = _actors(article, in_clause, clause_start)
        blanket = words.blanket.search(text, clause_start, clause_end) if words.blanket else None
        if blanket and actors:
            verb_first = any(
                m.start() < blanket.start() for kind in _STANCE_KINDS for m in cues.get(kind) or []
            )
            after = [m for m in actors if m.start > blanket.start()]
            between = text[blanket.end() : after[0].start] if after else ""
            if after and (verb_first or not _MEMBERS_RE.search(between)):
                # "... contributions from other countries, such as X": members of an object;
                # "The coalition ... with U.S. leadership": the blanket is the subject. Only
                # "leaders of the coalition, including Macron, signed" keeps its members.
                actors = [m for m in actors if m.start < blanket.start()]
                if not actors:
                    in_clause = []
        marks = cues.get("condition") or []
        if marks and any(m.start < marks[0].start() for m in actors):
            # "unless they received US guarantees": a nation inside the condition waits on it.
            actors = [m for m in actors if m.start < marks[0].start()]
        if actors:
            sentence_actors = sentence_actors or tuple(dict.fromkeys(m.iso2 for m in actors))
        if actors:
            groups = _groups(article, actors)
            scopes = []
            for i, group in enumerate(groups):
                # A subject's cues: a few words before it ("neither had Hungary") to the next.
                floor = groups[i - 1][-1].end if i else clause_start
                scopes.append(
                    (
                        group,
                        max(floor, group[0].start - _PREFIX_CHARS),
                        groups[i + 1][0].start if i + 1 < len(groups) else clause_end,
                    )
                )
            kind_of = {id(group): group[0].kind for group in groups}
        else:
            named = any(m.kind not in ("protected", "adversary") for m in in_clause)
            if blanket:
                stance = _stance(cues)
                clause_types = _types(article, clause_start, clause_end)
                if stance and len(clause_types) == 1 and not _voided(cues):
                    # "Five countries will deliver jets": the members may be named next.
                    article.blanket_pledge = (clause_types[0], stance[0])
                continue
            if named:
                continue
            if sentence_actors:
                # "X will not send soldiers, but is ready to train": the subject is elided.
                subject, kind = sentence_actors, "elided"
            else:
                pronoun = (
                    words.pronoun.search(text, clause_start, clause_end) if words.pronoun else None
                )
                if article.discourse_age > 2 or not article.discourse:
                    continue
                if words.language in _NEEDS_PRONOUN and not pronoun:
                    continue
                subject, kind = article.discourse, "inherited"
            inherited = [Mention(clause_start, clause_start, iso2, kind) for iso2 in subject]
            scopes = [(inherited, clause_start, clause_end)]
            kind_of = {id(inherited): kind}
        # What a condition waits for ("unless they received US guarantees") is not pledged.
        marks = cues.get("condition") or []
        pledge_end = marks[0].start() if marks and marks[0].start() > clause_start else clause_end
        types = _types(article, clause_start, pledge_end) or _types(
            article, clause_start, clause_end
        )
        type_factor = 1.0
        if not types and single_clause:
            types, type_factor = sentence_types, 0.8
        if "sanctions" in types and not adversary_near:
            types = [t for t in types if t != "sanctions"]
        if not toward_protected and not (types == ["sanctions"] and adversary_near):
            continue
        clause_types = types
        spoken_for: set[str] = set()
        for group, scope_start, scope_end in scopes:
            # Once a nation's subject has stated its stance, the nation named again later in the
            # clause ("..., Merz told ARD", "according to French officials") is its source.
            if spoken_for.issuperset(m.iso2 for m in group):
                continue
            # Each subject pledges what its own words name, where they name any type.
            types = clause_types
            if len(scopes) > 1:
                own_types = _types(article, scope_start, min(scope_end, pledge_end))
                if own_types and ("sanctions" not in own_types or adversary_near):
                    types = own_types
            own = _scoped(
                cues, scope_start, _until_subordinate(article, cues, scope_start, scope_end)
            )
            if not any(own.values()) and group is scopes[0][0]:
                # The verb may come first ("... hay un compromiso ... los Leopard alemanes").
                own = _scoped(cues, clause_start, scope_end)
            first_cue = min((m.start() for k in _STANCE_KINDS for m in own.get(k) or []), default=0)
            if blanket and group[-1].end <= blanket.start() < first_cue:
                continue  # "Macron announced that 26 countries had pledged": theirs, not his
            if _voided(own) or cues.get("retracted"):
                continue
            stance = _stance(own)
            if stance is None:
                continue
            stance_name, plainness = stance
            conditions = (
                _condition_phrase(article, own, scope_end) if stance_name == "conditional" else ()
            )
            if stance_name == "conditional" and _is_ceasefire_only(conditions):
                without = {k: v for k, v in own.items() if k != "condition"}
                stance = _stance(without)
                if stance is None:
                    continue
                stance_name, plainness = stance
                conditions = ()
            nations_here = tuple(dict.fromkeys(m.iso2 for m in group))
            spoken_for.update(nations_here)
            if stance_name == "conditional" and (
                not types or any(_MANDATE_RE.search(phrase) for phrase in conditions)
            ):
                # A condition on its own, or a parliament's mandate, holds for all the nation
                # offers; "decides on troops only when..." holds for the troops alone.
                for nation in nations_here:
                    article.later_conditions.setdefault(nation, []).extend(conditions)
            if not types:
                continue
            confidence = _BASE_CONFIDENCE.get(kind_of[id(group)], 0.7) * plainness * type_factor
            if not protected_here:
                confidence *= 0.85
            if len(nations_here) > 3:
                confidence *= 0.9
            if is_headline:
                confidence *= 0.85
            at = min((m.start() for ms in own.values() for m in ms), default=clause_start)
            quote = _quote(article, start, end, at)
            for nation in nations_here:
                leader = next(
                    (m.leader for m in inside if m.kind == "leader" and m.iso2 == nation), None
                )
                for slug in types:
                    sure = confidence * _TYPE_PRIOR.get(slug, 0.8) * _STANCE_PRIOR[stance_name]
                    results.append(
                        CandidatePledge(
                            nation=nation,
                            type=slug,
                            stance=stance_name,
                            confidence=round(min(sure, 0.99), 2),
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
