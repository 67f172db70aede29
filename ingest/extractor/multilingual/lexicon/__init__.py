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

# The cue categories, in the order that decides which one a shared word belongs to.
CUE_KINDS = ("retracted", "void", "reopen", "condition", "decline", "open", "deed", "commit")


@dataclass(frozen=True)
class Words:
    # Words that take back what follows them: hopes, demands, threats, thanks, opposition voices.
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
    # Words that withdraw a whole clause wherever they stand: deferrals ("no decision has been
    # taken"), plans and drafts ("under a draft plan"), polls, questions asked.
    retracted: tuple[str, ...] = ()
    # Languages that inflect names: "Polska", "Polski", "Polsce" share a stem.
    inflects_names: bool = False
    extra: dict[str, tuple[str, ...]] = field(default_factory=dict)


def _alternation(fragments: tuple[str, ...]) -> re.Pattern[str] | None:
    if not fragments:
        return None
    # A word starts after no letter or hyphen (an elided article, "l'apertura", may precede
    # it); a fragment of punctuation (";", ", adding") starts anywhere.
    body = "|".join(
        rf"(?<![\w-]){f}" if f[:1].isalnum() else f
        for f in sorted(set(fragments), key=len, reverse=True)
    )
    return re.compile(rf"(?:{body})(?![\w])", re.I)


_WORD_START_RE = re.compile(r"(?<![\w-])\w")


class Scan:
    """Several named lists of fragments, found in a whole text in one pass.

    The pattern is tried only where a word starts, and on the lowercased text it runs
    case-sensitively (texts whose lowercasing moves offsets, see `lexicon.fold_case`, use the
    IGNORECASE twin). Where lists share a word, the earlier list wins ("will not" is a refusal
    before "will" is a promise), which is why the cue kinds come in precedence order.
    """

    def __init__(self, lists: dict[str, tuple[str, ...]]) -> None:
        body = "|".join(
            f"(?P<{name}>{'|'.join(sorted(set(fragments), key=len, reverse=True))})"
            for name, fragments in lists.items()
            if fragments
        )
        self.names = [name for name, fragments in lists.items() if fragments]
        self.folded = re.compile(rf"(?:{body})(?!\w)")
        self.ignorecase = re.compile(rf"(?:{body})(?!\w)", re.I)

    def scan(self, text: str, folded: str | None) -> dict[str, list[re.Match[str]]]:
        pattern, subject = (self.folded, folded) if folded is not None else (self.ignorecase, text)
        found: dict[str, list[re.Match[str]]] = {name: [] for name in self.names}
        taken = 0
        for word in _WORD_START_RE.finditer(subject):
            if word.start() < taken:
                continue
            match = pattern.match(subject, word.start())
            if match:
                found[match.lastgroup or ""].append(match)
                taken = match.end()
        return found


@dataclass(frozen=True)
class CompiledWords:
    language: str
    words: Words
    cues: Scan
    types: Scan
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
        cues=Scan({kind: getattr(words, kind) for kind in CUE_KINDS}),
        types=Scan(dict(words.types)),
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
