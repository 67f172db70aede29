"""Pluggable extractor backends, named by dotted path in settings."""

from __future__ import annotations

import importlib

from ingest.extractor.types import Extractor

# The default backend: the one that reads real published articles best (README, "Extraction").
DEFAULT_BACKEND = "ingest.extractor.multilingual.MultilingualExtractor"


def load_backend(dotted_path: str) -> Extractor:
    """Import "package.module.ClassName" and return an instance of it."""
    module_path, _, class_name = dotted_path.rpartition(".")
    if not module_path:
        raise ImportError(f"{dotted_path!r} is not a dotted path to a class")
    backend_class = getattr(importlib.import_module(module_path), class_name, None)
    if backend_class is None:
        raise ImportError(f"{module_path} has no attribute {class_name!r}")
    backend = backend_class()
    if not callable(getattr(backend, "extract", None)):
        raise TypeError(f"{dotted_path} has no extract(text, gazetteer) method")
    return backend
