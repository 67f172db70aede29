"""A multilingual, rule-based extractor backend: lexicons of how pledges are reported."""

from ingest.extractor.multilingual.extractor import MultilingualExtractor

__all__ = ["MultilingualExtractor"]
