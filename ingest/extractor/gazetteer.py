"""The gazetteer: nations, leaders and pledge types, with matchers compiled once per instance."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from ingest.extractor.types import LeaderEntry, NationEntry, PledgeTypeEntry

SEEDS_DIR = Path(__file__).resolve().parents[2] / "seeds"

# Short single words ("Air", "Sea") are too ambiguous to act as signals on their own; longer
# type names ("Training", "Intelligence sharing") are not.
_MIN_NAME_SIGNAL = 6
_DEMONYM_ENDING = re.compile(r"(?:an|ans|ian|ians|ish|ese|ch|i|is|ic|er|ers|ot|ots|ss|ks|es)$")


def trie_pattern(words: list[str], after_first: str = "") -> str:
    """A regex alternation factored as a character trie.

    Python's `re` tries alternatives one by one, so a flat alternation of ~2,000 aliases is
    slow; a trie fails after the first character for almost every position in the text.
    `after_first`, a zero-width test, goes right after each word's first character: a pattern
    that starts with a plain character lets `re` skip every position holding none of them.
    """
    trie: dict = {}
    for word in words:
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}

    def build(node: dict, after: str = "") -> str:
        ends_here = "" in node
        branches = [
            re.escape(char) + after + build(child) for char, child in sorted(node.items()) if char
        ]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if ends_here else body

    return build(trie, after_first)


def inflections(signal: str) -> list[str]:
    """The signal and the usual English endings of its last word."""
    forms = [signal, signal + "s"]
    if not signal[-1:].isalpha():
        return forms
    forms += [signal + "es", signal + "ed", signal + "ing"]
    if signal.endswith("e"):
        forms += [signal + "d", signal[:-1] + "ing"]
    if signal.endswith("y"):
        forms += [signal[:-1] + "ies", signal[:-1] + "ied"]
    return forms


@dataclass(frozen=True)
class MentionTarget:
    """What one surface string can refer to."""

    iso2: str
    kind: str  # "name", "demonym", "metonym" or "leader"
    leader: str | None = None


@dataclass(frozen=True)
class CompiledGazetteer:
    mention_re: re.Pattern[str]
    targets: dict[str, MentionTarget]
    signal_re: re.Pattern[str] | None
    folded_signal_re: re.Pattern[str] | None
    signal_types: dict[str, str]
    type_order: tuple[str, ...]
    nation_names: dict[str, str]
    nation_short: dict[str, str]
    leaders: dict[str, LeaderEntry] = field(default_factory=dict)


def _strip_article(alias: str) -> str:
    return alias[4:] if alias[:4] in ("the ", "The ") else alias


@dataclass(frozen=True)
class Gazetteer:
    nations: tuple[NationEntry, ...]
    leaders: tuple[LeaderEntry, ...]
    pledge_types: tuple[PledgeTypeEntry, ...]

    @cached_property
    def compiled(self) -> CompiledGazetteer:
        # Built on first use, not in __init__, so that constructing a gazetteer per request
        # stays cheap; frozen dataclasses allow cached_property because it writes __dict__.
        targets: dict[str, MentionTarget] = {}
        for nation in self.nations:
            demonyms = set(nation.demonyms)
            metonyms = set(nation.metonyms)
            for alias in (nation.name, *nation.aliases):
                surface = _strip_article(alias.strip())
                if not surface or not (surface[0].isupper() or surface[0].isdigit()):
                    continue
                if alias in metonyms or surface in metonyms:
                    kind = "metonym"
                elif alias in demonyms or (
                    not demonyms and alias != nation.name and _DEMONYM_ENDING.search(alias)
                ):
                    kind = "demonym"
                else:
                    kind = "name"
                targets.setdefault(surface, MentionTarget(nation.iso2, kind))
        for leader in self.leaders:
            for alias in (leader.name, *leader.aliases):
                surface = alias.strip()
                if surface:
                    targets[surface] = MentionTarget(leader.nation_iso2, "leader", leader.name)
        # Not inside a longer word: no word character or hyphen before the first character.
        mention_re = re.compile(
            "(?:" + trie_pattern(sorted(targets), r"(?<![\w-].)") + r")(?![\w-]|\.\w)"
        )

        signal_types: dict[str, str] = {}
        for entry in self.pledge_types:
            signals = list(entry.signals)
            if len(entry.name.split()) > 1 or len(entry.name) >= _MIN_NAME_SIGNAL:
                signals.append(entry.name)
            for signal in signals:
                for form in inflections(" ".join(signal.lower().split())):
                    signal_types.setdefault(form, entry.slug)
        signal_pattern = r"(?<![\w-])(?:" + trie_pattern(sorted(signal_types)) + r")(?![\w-])"
        signal_re = re.compile(signal_pattern, re.I) if signal_types else None
        # Lowercase ASCII signals also match case-sensitively in lowercased text, much faster.
        ascii_signals = signal_types and all(map(str.isascii, signal_types))
        folded_signal_re = re.compile(signal_pattern) if ascii_signals else None
        short: dict[str, str] = {}
        for nation in self.nations:
            acronyms = [a for a in nation.aliases if a.isupper() and 2 <= len(a) <= 3]
            short[nation.iso2] = acronyms[0] if acronyms else nation.name
        return CompiledGazetteer(
            mention_re=mention_re,
            targets=targets,
            signal_re=signal_re,
            folded_signal_re=folded_signal_re,
            signal_types=signal_types,
            type_order=tuple(entry.slug for entry in self.pledge_types),
            nation_names={nation.iso2: nation.name for nation in self.nations},
            nation_short=short,
            leaders={leader.name: leader for leader in self.leaders},
        )


def _read(path: Path) -> list[dict]:
    with open(path, encoding="utf-8") as handle:
        return json.load(handle)


def gazetteer_from_seeds(seeds_dir: Path = SEEDS_DIR) -> Gazetteer:
    nations = tuple(
        NationEntry(
            iso2=row["iso2"],
            name=row["name"],
            aliases=tuple(row.get("aliases", [])),
            demonyms=tuple(row.get("demonyms", [])),
            metonyms=tuple(
                [row["capital"]] * bool(row.get("capital")) + list(row.get("seats", []))
            ),
        )
        for row in _read(seeds_dir / "nations.json")
    )
    leaders = tuple(
        LeaderEntry(
            name=row["name"],
            nation_iso2=row["nation"],
            office=row.get("office", ""),
            aliases=tuple(row.get("aliases", [])),
        )
        for row in _read(seeds_dir / "leaders.json")
    )
    pledge_types = tuple(
        PledgeTypeEntry(
            slug=row["slug"],
            name=row["name"],
            description=row.get("description", ""),
            signals=tuple(row.get("signals", [])),
        )
        for row in sorted(_read(seeds_dir / "pledge_types.json"), key=lambda r: r.get("order", 0))
    )
    return Gazetteer(nations=nations, leaders=leaders, pledge_types=pledge_types)


_DEFAULT: list[Gazetteer] = []


def default_gazetteer() -> Gazetteer:
    """The gazetteer built from the JSON files in `seeds/`, loaded once per process."""
    if not _DEFAULT:
        _DEFAULT.append(gazetteer_from_seeds())
    return _DEFAULT[0]
