"""Nations named in an article, in any of its languages, found in one pass per kind of name."""

from __future__ import annotations

import re
from typing import NamedTuple

from ingest.extractor.gazetteer import CompiledGazetteer, Gazetteer, trie_pattern
from ingest.extractor.multilingual import nations


class Mention(NamedTuple):
    start: int
    end: int
    iso2: str
    kind: str  # name, demonym, metonym, leader, protected, adversary
    leader: str | None = None


def _words(fragments: tuple[str, ...]) -> re.Pattern[str]:
    body = "|".join(sorted(fragments, key=len, reverse=True))
    return re.compile(rf"(?<![\w-])(?:{body})(?!\w)", re.I)


_PROTECTED_RE = _words(nations.PROTECTED_WORDS)
_ADVERSARY_RE = _words(nations.ADVERSARY_WORDS)
_ELSEWHERE_RE = _words(nations.ELSEWHERE_WORDS)
_WORD_START_RE = re.compile(r"(?<![\w-])\w\w")


class _StemIndex:
    """Regex stems ("fran[cç]ais\\w*") grouped by their first two letters, so that each word
    of a text tries only the few stems it could begin, not an alternation of hundreds."""

    def __init__(self, stems: dict[str, tuple[str, ...]]) -> None:
        by_key: dict[str, list[tuple[str, str]]] = {}
        for label, fragments in stems.items():
            for fragment in fragments:
                by_key.setdefault(fragment[:2].lower(), []).append((label, fragment))
        assert all(key.isalpha() for key in by_key), "every stem starts with two letters"
        self.patterns = {
            key: re.compile(
                "|".join(
                    rf"(?P<{label}_{i}>{fragment})" for i, (label, fragment) in enumerate(items)
                )
                + "",
                re.I,
            )
            for key, items in by_key.items()
        }

    def finditer(self, text: str) -> list[tuple[int, int, str]]:
        found = []
        for word in _WORD_START_RE.finditer(text):
            pattern = self.patterns.get(word.group().lower())
            if pattern is None:
                continue
            match = pattern.match(text, word.start())
            if match and not text[match.end() : match.end() + 1].isalnum():
                found.append((match.start(), match.end(), (match.lastgroup or "").split("_")[0]))
        return found


_DEMONYMS = _StemIndex(nations.DEMONYMS)


class NationMatcher:
    """The gazetteer's English words for nations and leaders, plus one language's names."""

    def __init__(self, compiled: CompiledGazetteer, language: str, inflects: bool) -> None:
        self.compiled = compiled
        known = set(compiled.nation_names)
        surfaces: dict[str, tuple[str, str]] = {}
        for iso2, names in nations.translated_names(language).items():
            if iso2 in known:
                for name in names:
                    surfaces.setdefault(name, (iso2, "name"))
        for iso2, seats in nations.SEATS.items():
            if iso2 in known:
                for seat in seats:
                    surfaces.setdefault(seat, (iso2, "metonym"))
        self.surfaces = surfaces
        self.stems: dict[str, str] = {}
        if inflects:
            # "Polska", "Polski", "Polsce": a stem and a short ending.
            for name, (iso2, _) in surfaces.items():
                if len(name) >= 6 and " " not in name:
                    self.stems.setdefault(name[:-1], iso2)
        words = sorted(set(surfaces) | set(self.stems))
        self.local_re = (
            re.compile("(?:" + trie_pattern(words, r"(?<![\w-].)") + r")\w{0,4}(?!\w)")
            if words
            else None
        )

    def find(self, text: str) -> list[Mention]:
        found: list[Mention] = []
        for match in self.compiled.mention_re.finditer(text):
            target = self.compiled.targets.get(match.group())
            if target is not None:
                found.append(
                    Mention(match.start(), match.end(), target.iso2, target.kind, target.leader)
                )
        if self.local_re is not None:
            for match in self.local_re.finditer(text):
                iso2 = self._local_target(match.group())
                if iso2:
                    found.append(Mention(match.start(), match.end(), iso2, "name"))
        for start, end, iso2 in _DEMONYMS.finditer(text):
            found.append(Mention(start, end, iso2, "demonym"))
        for pattern, iso2, kind in (
            (_PROTECTED_RE, nations.PROTECTED, "protected"),
            (_ADVERSARY_RE, nations.ADVERSARIES[0], "adversary"),
        ):
            found += [Mention(m.start(), m.end(), iso2, kind) for m in pattern.finditer(text)]
        return [_role(m) for m in _without_overlaps(found)]

    def _local_target(self, word: str) -> str | None:
        exact = self.surfaces.get(word)
        if exact:
            return exact[0]
        for cut in range(1, 5):
            iso2 = self.stems.get(word[:-cut]) if len(word) > cut else None
            if iso2:
                return iso2
            exact = self.surfaces.get(word[:-cut])
            if exact:
                return exact[0]
        return None


def _role(mention: Mention) -> Mention:
    """The protected country and the adversaries keep their role whatever word names them."""
    if mention.iso2 == nations.PROTECTED and mention.kind != "protected":
        return mention._replace(kind="protected")
    if mention.iso2 in nations.ADVERSARIES and mention.kind != "adversary":
        return mention._replace(kind="adversary")
    return mention


def _without_overlaps(mentions: list[Mention]) -> list[Mention]:
    """The longest of overlapping mentions ("French President Emmanuel Macron" over "French")."""
    mentions.sort(key=lambda m: (m.start, -(m.end - m.start)))
    kept: list[Mention] = []
    for mention in mentions:
        if kept and mention.start < kept[-1].end:
            continue
        kept.append(mention)
    return kept


def elsewhere(text: str, start: int, end: int) -> bool:
    """Whether text[start:end] names a theatre or target other than the protected country's war."""
    return _ELSEWHERE_RE.search(text, start, end) is not None


def elsewhere_count(text: str) -> int:
    return sum(1 for _ in _ELSEWHERE_RE.finditer(text))


_MATCHERS: dict[tuple[int, str], tuple[CompiledGazetteer, NationMatcher]] = {}
_MATCHERS_KEPT = 32


def matcher(gazetteer: Gazetteer, language: str, inflects: bool) -> NationMatcher:
    """One matcher per gazetteer (a data version) and language, kept for the most recent few.

    Keyed on the compiled gazetteer's identity, which it holds on to, not on its hash: hashing
    every nation and leader on each article cost a tenth of the extraction."""
    compiled = gazetteer.compiled
    key = (id(compiled), language)
    kept = _MATCHERS.get(key)
    if kept is None or kept[0] is not compiled:
        if len(_MATCHERS) >= _MATCHERS_KEPT:
            _MATCHERS.pop(next(iter(_MATCHERS)))
        kept = (compiled, NationMatcher(compiled, language, inflects))
        _MATCHERS[key] = kept
    return kept[1]
