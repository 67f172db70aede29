"""Errors raised while fetching outside URLs and reading what came back; each message is
written for an editor to read.

`TransientFetchError` and its subclasses are worth retrying later; every other `FetchError`
is permanent for that URL. A `ParseError` says the bytes were not the document expected.
"""

from __future__ import annotations


class FetchError(Exception):
    """A URL could not be fetched; `str(error)` says why in plain words."""

    def __init__(self, message: str, *, url: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.url = url

    def __str__(self) -> str:
        return self.message


class InvalidURL(FetchError):
    """The URL is malformed, uses an unsupported scheme, or disguises its host."""


class BlockedAddress(FetchError):
    """The URL leads to an address or port we refuse to connect to (SSRF protection)."""


class UnresolvableHost(FetchError):
    """The host name does not exist in DNS."""


class TooLarge(FetchError):
    """The response body is larger than the policy allows."""


class BadContentType(FetchError):
    """The response is not a kind of document we can read."""


class TooManyRedirects(FetchError):
    """The server redirected more often than the policy allows."""


class HTTPStatusError(FetchError):
    """The server answered with an error status."""

    def __init__(
        self,
        message: str,
        *,
        status: int,
        retry_after: float | None = None,
        url: str | None = None,
    ) -> None:
        super().__init__(message, url=url)
        self.status = status
        self.retry_after = retry_after


class TransientFetchError(FetchError):
    """A failure that may go away: timeout, dropped connection, overloaded server."""


class TransientHTTPStatusError(HTTPStatusError, TransientFetchError):
    """An error status that asks us to come back later (429, 5xx), maybe saying when."""


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
