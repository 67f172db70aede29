"""Errors raised while reading fetched feeds and pages; each message is written for an editor."""

from __future__ import annotations


class ParseError(Exception):
    """Fetched bytes could not be read as the document we expected."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class MalformedFeed(ParseError):
    """The bytes are not a usable RSS or Atom feed."""


class UnreadableArticle(ParseError):
    """The bytes hold no readable article text."""
