"""Offline pledge extraction: article text in, candidate pledges and quotes out (no Django)."""

from __future__ import annotations

from ingest.extractor.backends import load_backend
from ingest.extractor.gazetteer import Gazetteer, default_gazetteer, gazetteer_from_seeds
from ingest.extractor.multilingual import MultilingualExtractor
from ingest.extractor.rules import RuleBasedExtractor
from ingest.extractor.types import (
    STANCES,
    CandidatePledge,
    ExtractedQuote,
    Extraction,
    Extractor,
    LeaderEntry,
    NationEntry,
    PledgeTypeEntry,
)

__all__ = [
    "STANCES",
    "CandidatePledge",
    "ExtractedQuote",
    "Extraction",
    "Extractor",
    "Gazetteer",
    "LeaderEntry",
    "MultilingualExtractor",
    "NationEntry",
    "PledgeTypeEntry",
    "RuleBasedExtractor",
    "default_gazetteer",
    "gazetteer_from_seeds",
    "load_backend",
]
