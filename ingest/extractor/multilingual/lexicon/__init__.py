"""How pledges are reported, per language: stance cues, condition markers, pledge-type words.

Each language module defines `WORDS`, a `Words` of regex fragments (lowercase, matched
case-insensitively at word boundaries). They describe reporting grammar in general, never one
article: the verbs of promising, delivering and refusing, the markers of conditions and
deferrals, the nouns of each pledge type.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from importlib import import_module

LANGUAGES = ("en", "fr", "de", "it", "es", "pl", "nl", "pt", "ro", "hu", "uk")

# The cue categories a clause is read for, in the order they decide its stance.
CUE_KINDS = ("void", "reopen", "condition", "decline", "open", "commit", "deed", "retracted")


@dataclass(frozen=True)
class Words:
    # Clauses that state no pledge: deferrals, hopes, demands, threats, thanks, opposition voices.
    void: tuple[str, ...]
    # A refusal of a refusal ("would not rule out"): open.
    reopen: tuple[str, ...]
    # A named condition the pledge waits for ("only if", "provided that", "a mandate").
    condition: tuple[str, ...]
    # Refusals and negations of the pledge verb.
    decline: tuple[str, ...]
    # Readiness, willingness, modal possibility.
    open: tuple[str, ...]
    # Promises and firm future statements.
    commit: tuple[str, ...]
    # Deeds already done: delivered, imposed, signed, disbursed, joined.
    deed: tuple[str, ...]
    # Pledge type -> the nouns and verbs that name it.
    types: dict[str, tuple[str, ...]]
    # Nouns a demonym or a nation modifies when it names an actor ("Italian troops").
    actor_nouns: tuple[str, ...]
    # Prepositions that make a following nation an object or a place, not an actor.
    object_preps: tuple[str, ...]
    # Prepositions that make a following nation the receiver of what is given.
    recipient_preps: tuple[str, ...]
    # Words that split a sentence into clauses ("but", "while", ", adding").
    clause_breaks: tuple[str, ...]
    # Subjects that name no nation ("26 countries", "the coalition").
    blanket: tuple[str, ...]
    # Forces placed outside the protected country (turn troops into backstop).
    outside: tuple[str, ...] = ()
    # Subject pronouns that carry the previous sentence's actor on.
    pronouns: tuple[str, ...] = ()
    # Words that withdraw a whole clause wherever they stand ("... was removed from the text").
    retracted: tuple[str, ...] = ()
    # Languages that inflect names: "Polska", "Polski", "Polsce" share a stem.
    inflects_names: bool = False
    extra: dict[str, tuple[str, ...]] = field(default_factory=dict)


def _alternation(fragments: tuple[str, ...]) -> re.Pattern[str] | None:
    if not fragments:
        return None
    body = "|".join(sorted(set(fragments), key=len, reverse=True))
    # An elided article ("l'apertura", "d'instructeurs") may stand right before a word.
    return re.compile(rf"(?<![\w-])(?:{body})(?![\w])", re.I)


@dataclass(frozen=True)
class CompiledWords:
    language: str
    words: Words
    cues: dict[str, re.Pattern[str] | None]
    types: dict[str, re.Pattern[str]]
    actor_noun: re.Pattern[str] | None
    object_prep: re.Pattern[str] | None
    recipient_prep: re.Pattern[str] | None
    clause_break: re.Pattern[str] | None
    blanket: re.Pattern[str] | None
    outside: re.Pattern[str] | None
    pronoun: re.Pattern[str] | None


@cache
def compiled(language: str) -> CompiledWords:
    """The patterns of `language` (English where the language has no module)."""
    if language not in LANGUAGES:
        language = "en"
    words: Words = import_module(f"{__name__}.{language}").WORDS
    preps = "|".join(words.object_preps)
    recipients = "|".join(words.recipient_preps)
    return CompiledWords(
        language=language,
        words=words,
        cues={kind: _alternation(getattr(words, kind)) for kind in CUE_KINDS},
        types={slug: p for slug, frags in words.types.items() if (p := _alternation(frags))},
        actor_noun=_alternation(words.actor_nouns),
        # The preposition, an optional article, then the mention: matched on the text before it.
        object_prep=re.compile(rf"(?<![\w])(?:{preps})\s+(?:(?:the|l'|l’)\s*)?$", re.I)
        if preps
        else None,
        recipient_prep=re.compile(rf"(?<![\w])(?:{recipients})\s+(?:(?:the|l'|l’)\s*)?$", re.I)
        if recipients
        else None,
        clause_break=_alternation(words.clause_breaks),
        blanket=_alternation(words.blanket),
        outside=_alternation(words.outside),
        pronoun=_alternation(words.pronouns),
    )
