"""Value types shared by every extractor backend: gazetteer entries in, candidates out."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from ingest.extractor.gazetteer import Gazetteer

STANCES = ("committed", "open", "conditional", "declined")


@dataclass(frozen=True)
class NationEntry:
    """A nation and the words articles use for it.

    `aliases` is the union the extractor matches. `demonyms` and `metonyms` (capital and seats
    of government) are optional refinements: a demonym only names an actor when it modifies one
    ("Italian troops"), and a metonym only when it is the subject of a verb ("Paris said").
    When they are empty the extractor guesses demonyms from their endings.
    """

    iso2: str
    name: str
    aliases: tuple[str, ...] = ()
    demonyms: tuple[str, ...] = ()
    metonyms: tuple[str, ...] = ()


@dataclass(frozen=True)
class LeaderEntry:
    name: str
    nation_iso2: str
    office: str
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class PledgeTypeEntry:
    slug: str
    name: str
    description: str
    signals: tuple[str, ...] = ()


@dataclass(frozen=True)
class ExtractedQuote:
    text: str
    speaker: str
    leader: str | None
    nation_iso2: str | None
    start: int
    end: int


@dataclass(frozen=True)
class CandidatePledge:
    nation: str
    type: str
    stance: str
    confidence: float
    evidence: str
    evidence_start: int
    evidence_end: int
    conditions: tuple[str, ...] = ()
    leader: str | None = None
    speaker: str | None = None
    quote: str | None = None


@dataclass(frozen=True)
class Extraction:
    candidates: tuple[CandidatePledge, ...]
    quotes: tuple[ExtractedQuote, ...]
    # Where the text was cut before extraction (ingest.extractor.bounds): only text[:cut_at]
    # was read. None when all of it was.
    cut_at: int | None = None


class Extractor(Protocol):
    def extract(self, text: str, gazetteer: Gazetteer) -> Extraction: ...
