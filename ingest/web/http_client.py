"""The one HTTP client for outside requests: guarded, size- and time-bounded, redirect-checked.

Every hop is vetted by `ingest.web.netguard`, and the TCP connection goes to the vetted address
itself (not to the host name again), while the Host header, SNI and certificate check use
the host name. Environment proxy settings are ignored on purpose: a proxy would connect to
hosts we never vetted.
"""

from __future__ import annotations

import contextlib
import email.utils
import http.client
import itertools
import logging
import os
import socket
import ssl
import threading
import time
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any, Literal
from urllib.parse import urljoin

from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.exceptions import HTTPError as Urllib3Error
from urllib3.exceptions import SSLError as Urllib3SSLError
from urllib3.exceptions import TimeoutError as Urllib3TimeoutError
from urllib3.response import BaseHTTPResponse

from ingest.web.errors import (
    BadContentType,
    FetchError,
    HTTPStatusError,
    TooLarge,
    TooManyRedirects,
    TransientFetchError,
    TransientHTTPStatusError,
)
from ingest.web.netguard import IPAddress, Resolver, VettedTarget, resolve_host, vet_url

logger = logging.getLogger("ingest.fetch")

FetchKind = Literal["article", "feed"]

ARTICLE_CONTENT_TYPES = frozenset({"text/html", "application/xhtml+xml", "text/plain"})
# Servers often label feeds text/html or text/plain; the feed parser rejects non-feeds.
FEED_CONTENT_TYPES = frozenset(
    {
        "application/rss+xml",
        "application/atom+xml",
        "application/rdf+xml",
        "application/xml",
        "text/xml",
        "text/html",
        "text/plain",
    }
)

_ACCEPT = {
    "article": "text/html,application/xhtml+xml;q=0.9,text/plain;q=0.8",
    "feed": (
        "application/rss+xml,application/atom+xml,application/rdf+xml;q=0.9,"
        "application/xml;q=0.9,text/xml;q=0.9,*/*;q=0.1"
    ),
}
_REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
# 408 and 429 are the client-side statuses that mean "try again later".
_TRANSIENT_STATUSES = frozenset({408, 429})
_CHUNK_SIZE = 64 * 1024


@dataclass(frozen=True)
class FetchPolicy:
    """Limits for outside requests; the Celery tasks build one from Django settings."""

    connect_timeout: float = 5.0
    read_timeout: float = 15.0
    total_deadline: float = 30.0
    max_bytes: int = 5_000_000
    max_redirects: int = 3
    article_content_types: frozenset[str] = ARTICLE_CONTENT_TYPES
    feed_content_types: frozenset[str] = FEED_CONTENT_TYPES
    user_agent: str = (
        "Pledgewatch/0.1 (+https://github.com/pledgewatch; security-guarantee tracker)"
    )
    allowed_hosts: frozenset[str] = field(default_factory=frozenset)
    allowed_ports: frozenset[int] = frozenset({80, 443})

    def content_types(self, kind: FetchKind) -> frozenset[str]:
        return self.feed_content_types if kind == "feed" else self.article_content_types


@dataclass(frozen=True)
class FetchResult:
    """What a successful fetch (or a 304 Not Modified) returned."""

    final_url: str
    status: int
    content_type: str | None
    charset: str | None
    body: bytes
    etag: str | None
    last_modified: str | None
    not_modified: bool
    redirects: tuple[str, ...]


class _Watchdog:
    """Shuts a socket down when the fetch's total deadline passes, whatever it is blocked on.

    Per-read timeouts alone cannot bound a server that drips a byte just before each one.
    """

    def __init__(self, deadline: float) -> None:
        self._deadline = deadline
        self._keys: list[int] = []

    def watch(self, sock: socket.socket) -> None:
        self._keys.append(_deadlines.watch(self._deadline, sock))

    def cancel(self) -> None:
        for key in self._keys:
            _deadlines.forget(key)


class _Deadlines:
    """One thread per process that shuts down the sockets whose deadline has passed.

    Starting a timer thread for every fetch cost more than a fetch from a nearby server. The
    thread sleeps until the earliest deadline it knows of, and is only woken early for an
    earlier one, so a fetch that ends in time costs two dictionary updates.
    """

    def __init__(self) -> None:
        self._reset()
        # A forked child has the lock in whatever state it was, and no thread.
        os.register_at_fork(after_in_child=self._reset)

    def _reset(self) -> None:
        self._changed = threading.Condition(threading.Lock())
        self._watched: dict[int, tuple[float, socket.socket]] = {}
        self._keys = itertools.count()
        self._wakes_at: float | None = None
        self._thread: threading.Thread | None = None

    def watch(self, deadline: float, sock: socket.socket) -> int:
        with self._changed:
            key = next(self._keys)
            self._watched[key] = (deadline, sock)
            if self._thread is None:
                self._thread = threading.Thread(
                    target=self._run, name="fetch-deadlines", daemon=True
                )
                self._thread.start()
            elif self._wakes_at is None or deadline < self._wakes_at:
                self._changed.notify()
            return key

    def forget(self, key: int) -> None:
        with self._changed:
            self._watched.pop(key, None)

    def _run(self) -> None:
        with self._changed:
            while True:
                now = time.monotonic()
                for key, (deadline, sock) in list(self._watched.items()):
                    if deadline <= now:
                        del self._watched[key]
                        _shut_down(sock)
                self._wakes_at = min((d for d, _ in self._watched.values()), default=None)
                self._changed.wait(None if self._wakes_at is None else self._wakes_at - now)


def _shut_down(sock: socket.socket) -> None:
    # socket.socket.shutdown, not SSLSocket.shutdown, which would drop its TLS state from
    # under the thread that is reading.
    with contextlib.suppress(OSError):
        socket.socket.shutdown(sock, socket.SHUT_RDWR)


_deadlines = _Deadlines()


class _PinnedConnectionMixin:
    """Connects to addresses the guard vetted, never to a fresh lookup of the host name."""

    port: int
    timeout: float | None

    def __init__(
        self,
        *args: Any,
        addresses: tuple[IPAddress, ...],
        watchdog: _Watchdog,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self._pinned_addresses = addresses
        self._watchdog = watchdog

    def _new_conn(self) -> socket.socket:
        last_error: OSError | None = None
        for ip in self._pinned_addresses:
            family = socket.AF_INET6 if ip.version == 6 else socket.AF_INET
            sock = socket.socket(family, socket.SOCK_STREAM)
            try:
                sock.settimeout(self.timeout)
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                sock.connect((str(ip), self.port))
            except OSError as exc:
                sock.close()
                last_error = exc
                continue
            # Watched from here on, so a slow TLS handshake counts against the deadline too.
            self._watchdog.watch(sock)
            return sock
        assert last_error is not None, "vetted targets always carry at least one address"
        raise last_error


class _PinnedHTTPConnection(_PinnedConnectionMixin, HTTPConnection):
    pass


class _PinnedHTTPSConnection(_PinnedConnectionMixin, HTTPSConnection):
    pass


def fetch(
    url: str,
    policy: FetchPolicy,
    *,
    kind: FetchKind,
    etag: str | None = None,
    last_modified: str | None = None,
    resolver: Resolver = resolve_host,
) -> FetchResult:
    """GET `url` within `policy`, following (and re-vetting) redirects.

    Raises a `FetchError` subclass with an editor-readable message; `TransientFetchError`
    means trying again later may succeed.
    """
    try:
        return _fetch(url, policy, kind, etag, last_modified, resolver)
    except TransientFetchError as exc:
        logger.info("Fetch of %s failed, may retry: %s", url, exc)
        raise
    except FetchError as exc:
        logger.warning("Fetch of %s refused (%s): %s", url, type(exc).__name__, exc)
        raise


def _fetch(
    url: str,
    policy: FetchPolicy,
    kind: FetchKind,
    etag: str | None,
    last_modified: str | None,
    resolver: Resolver,
) -> FetchResult:
    deadline = time.monotonic() + policy.total_deadline
    headers = {
        "User-Agent": policy.user_agent,
        "Accept": _ACCEPT[kind],
        "Accept-Encoding": "gzip, deflate",
    }
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    redirects: list[str] = []
    current = url
    while True:
        vetted = vet_url(current, policy, resolver=resolver)
        result = _fetch_one(vetted, policy, kind, headers, deadline, tuple(redirects))
        if isinstance(result, FetchResult) and result.not_modified:
            # Servers may leave validators out of a 304; the ones we sent still hold.
            return replace(
                result,
                etag=result.etag or etag,
                last_modified=result.last_modified or last_modified,
            )
        if isinstance(result, FetchResult):
            return result
        if len(redirects) >= policy.max_redirects:
            raise TooManyRedirects(
                f"The server redirected more than {policy.max_redirects} times.", url=url
            )
        current = urljoin(current, result)
        redirects.append(current)


def _fetch_one(
    vetted: VettedTarget,
    policy: FetchPolicy,
    kind: FetchKind,
    headers: dict[str, str],
    deadline: float,
    redirects: tuple[str, ...],
) -> FetchResult | str:
    """Make one request; return the result, or the Location of a redirect to follow."""
    target = vetted.target
    watchdog = _Watchdog(deadline)
    connection_class = _PinnedHTTPSConnection if target.scheme == "https" else _PinnedHTTPConnection
    conn = connection_class(
        target.host,
        target.port,
        addresses=vetted.addresses,
        watchdog=watchdog,
        timeout=_remaining(deadline, policy.connect_timeout, target.url),
    )
    try:
        conn.connect()
        # http.client drops conn.sock once a response says "Connection: close", but the
        # response keeps reading from this same socket, so keep a handle to time it out.
        sock = conn.sock
        conn.timeout = _remaining(deadline, policy.read_timeout, target.url)
        conn.request("GET", target.request_target, headers=headers, preload_content=False)
        response = conn.getresponse()
        try:
            if time.monotonic() >= deadline:
                # The watchdog cut a header block still arriving: what was parsed is partial.
                raise _deadline_passed(target.url)
            return _handle_response(response, sock, vetted, policy, kind, deadline, redirects)
        finally:
            response.close()
    except (ssl.SSLCertVerificationError, ssl.CertificateError, Urllib3SSLError) as exc:
        if time.monotonic() >= deadline:
            raise _deadline_passed(target.url) from None
        raise FetchError(
            f"The secure connection to {target.host} failed: {exc}.", url=target.url
        ) from None
    except (TimeoutError, Urllib3TimeoutError):
        # A read whose timeout was shrunk to the time left can fire before the watchdog does.
        if time.monotonic() >= deadline:
            raise _deadline_passed(target.url) from None
        raise TransientFetchError(
            f"{target.host} did not answer in time.", url=target.url
        ) from None
    except (OSError, Urllib3Error) as exc:
        if time.monotonic() >= deadline:
            raise _deadline_passed(target.url) from None
        raise TransientFetchError(
            f"The connection to {target.host} failed: {exc}.", url=target.url
        ) from None
    except http.client.HTTPException as exc:
        # A status line or header that is not HTTP, or was cut by the deadline. Caught after
        # OSError, which holds a server that hung up (RemoteDisconnected): that is transient.
        if time.monotonic() >= deadline:
            raise _deadline_passed(target.url) from None
        raise FetchError(
            f"{target.host} did not answer in HTTP ({type(exc).__name__}).", url=target.url
        ) from None
    finally:
        watchdog.cancel()
        conn.close()


def _handle_response(
    response: BaseHTTPResponse,
    sock: socket.socket | None,
    vetted: VettedTarget,
    policy: FetchPolicy,
    kind: FetchKind,
    deadline: float,
    redirects: tuple[str, ...],
) -> FetchResult | str:
    url = vetted.target.url
    status = response.status
    if status in _REDIRECT_STATUSES:
        location = response.headers.get("Location")
        if not location:
            raise HTTPStatusError(
                f"The server answered {status} (redirect) without saying where to.",
                status=status,
                url=url,
            )
        return location
    content_type, charset = _parse_content_type(response.headers.get("Content-Type"))
    etag = response.headers.get("ETag")
    last_modified = response.headers.get("Last-Modified")
    if status == 304:
        return FetchResult(
            final_url=url,
            status=status,
            content_type=content_type,
            charset=charset,
            body=b"",
            etag=etag,
            last_modified=last_modified,
            not_modified=True,
            redirects=redirects,
        )
    if not 200 <= status < 300:
        _raise_for_status(response, url)
    if content_type not in policy.content_types(kind):
        raise BadContentType(
            f"The server sent {content_type or 'a document without a content type'}, "
            f"which Pledgewatch cannot read as {'a feed' if kind == 'feed' else 'an article'}.",
            url=url,
        )
    body = _read_body(response, sock, policy, deadline, url)
    return FetchResult(
        final_url=url,
        status=status,
        content_type=content_type,
        charset=charset,
        body=body,
        etag=etag,
        last_modified=last_modified,
        not_modified=False,
        redirects=redirects,
    )


def _raise_for_status(response: BaseHTTPResponse, url: str) -> None:
    status = response.status
    reason = f"{status} {response.reason or ''}".strip()
    if status >= 500 or status in _TRANSIENT_STATUSES:
        retry_after = parse_retry_after(response.headers.get("Retry-After"))
        later = f" (asked to retry after {retry_after:.0f} s)" if retry_after is not None else ""
        raise TransientHTTPStatusError(
            f"The server answered {reason}{later}.", status=status, retry_after=retry_after, url=url
        )
    raise HTTPStatusError(f"The server answered {reason}.", status=status, url=url)


def _read_body(
    response: BaseHTTPResponse,
    sock: socket.socket | None,
    policy: FetchPolicy,
    deadline: float,
    url: str,
) -> bytes:
    limit = policy.max_bytes
    declared = response.headers.get("Content-Length", "")
    if declared.isdigit() and int(declared) > limit:
        raise TooLarge(
            f"The document is {int(declared):,} bytes; the limit is {limit:,} bytes.", url=url
        )
    body = bytearray()
    while True:
        # The read timeout applies per socket read; shrinking it to the time left keeps a
        # server that drips bytes slowly from outlasting the total deadline.
        if sock is not None and sock.fileno() != -1:
            sock.settimeout(_remaining(deadline, policy.read_timeout, url))
        chunk = response.read1(_CHUNK_SIZE)
        if not chunk:
            # The watchdog's shutdown looks like the end of a body without Content-Length.
            if time.monotonic() >= deadline:
                raise _deadline_passed(url)
            return bytes(body)
        body += chunk
        if len(body) > limit:
            raise TooLarge(f"The document is larger than the limit of {limit:,} bytes.", url=url)


def _remaining(deadline: float, timeout: float, url: str) -> float:
    left = deadline - time.monotonic()
    if left <= 0:
        raise _deadline_passed(url)
    return min(timeout, left)


def _deadline_passed(url: str) -> TransientFetchError:
    return TransientFetchError("The fetch took longer than allowed.", url=url)


def _parse_content_type(value: str | None) -> tuple[str | None, str | None]:
    if not value:
        return None, None
    mime, *params = value.split(";")
    charset = None
    for param in params:
        name, _, param_value = param.partition("=")
        if name.strip().lower() == "charset":
            charset = param_value.strip().strip("\"'").lower() or None
    return mime.strip().lower() or None, charset


def parse_retry_after(value: str | None, *, now: datetime | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (delay seconds or HTTP-date), else None."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    now = now or datetime.now(UTC)
    return max(0.0, (when - now).total_seconds())
