"""Sentence and paragraph spans with character offsets into the original text."""

from __future__ import annotations

import re

# Words whose trailing full stop does not end a sentence.
_ABBREVIATIONS = frozenset(
    [
        "mr",
        "mrs",
        "ms",
        "dr",
        "st",
        "gen",
        "lt",
        "col",
        "sen",
        "rep",
        "gov",
        "prof",
        "no",
        "jan",
        "feb",
        "mar",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
        "u.s",
        "u.k",
        "u.n",
        "e.g",
        "i.e",
        "vs",
        "etc",
        "maj",
        "capt",
        "adm",
        "sgt",
        "cmdr",
        "jr",
        "sr",
        "inc",
        "ltd",
        "co",
        "corp",
        "approx",
    ]
)
_BOUNDARY_RE = re.compile(r"[.!?]+[\"”’']?(?=\s+[\"“‘']?[A-Z0-9À-Ý])")
_LINE_RE = re.compile(r"[^\n]+")
_INITIALISM_RE = re.compile(r"(?:[a-z]\.)+[a-z]")  # "u.s.a" before its last full stop


def paragraphs(text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in _LINE_RE.finditer(text) if m.group().strip()]


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Sentences as (start, end) offsets; a line break always ends a sentence."""
    spans: list[tuple[int, int]] = []
    for para_start, para_end in paragraphs(text):
        start = para_start
        for match in _BOUNDARY_RE.finditer(text, para_start, para_end):
            word = text[max(para_start, match.start() - 12) : match.start()].split()
            last = word[-1].lower().lstrip('("“') if word else ""
            if last in _ABBREVIATIONS or (len(last) == 1 and last.isalpha()):
                continue
            if _INITIALISM_RE.fullmatch(last):
                continue
            spans.append(_trim(text, start, match.end()))
            start = match.end()
        spans.append(_trim(text, start, para_end))
    return [span for span in spans if span[1] > span[0]]
