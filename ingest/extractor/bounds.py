"""How much of a text the pipeline extracts from: a documented cap, the second defence.

Every extractor step is linear in the text, but the multilingual backend still spends a few
milliseconds per KB on texts made to be slow (one name repeated, one endless line), so the 5 MB
that a fetch may bring would cost tens of seconds. No article comes near the cap: the longest
labelled ones are tens of KB. A cut text is read up to its last line break (else its last
space) before the cap, and the Extraction says where, so the source can record it.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ingest.extractor.types import Extraction, Extractor

if TYPE_CHECKING:
    from ingest.extractor.gazetteer import Gazetteer

# settings.EXTRACT_MAX_CHARS unless the environment says otherwise.
DEFAULT_MAX_CHARS = 1_000_000


def extractable(text: str, max_chars: int) -> tuple[str, int | None]:
    """The start of `text` to extract from, and where it was cut (None: the whole text).

    The cut falls at the last line break in the second half of the first `max_chars`
    characters, else at the last whitespace there, else at `max_chars`: a sentence is not read
    in part when that can be helped.
    """
    if len(text) <= max_chars:
        return text, None
    floor = max_chars // 2
    cut = text.rfind("\n", floor, max_chars + 1)
    if cut < 0:
        cut = max(
            (text.rfind(space, floor, max_chars + 1) for space in (" ", "\t", "\r")),
            default=-1,
        )
    if cut <= 0:
        cut = max_chars
    return text[:cut], cut


@dataclass(frozen=True)
class BoundedExtractor:
    """`backend`, reading at most `max_chars` characters of each text; the Extraction's
    `cut_at` says where it stopped."""

    backend: Extractor
    max_chars: int

    def extract(self, text: str, gazetteer: Gazetteer) -> Extraction:
        kept, cut_at = extractable(text, self.max_chars)
        extraction = self.backend.extract(kept, gazetteer)
        return extraction if cut_at is None else dataclasses.replace(extraction, cut_at=cut_at)
