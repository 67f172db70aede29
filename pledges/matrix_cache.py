"""The rendered commitment matrix, kept by each web process and revalidated by ETag.

Keyed on the data version of everything the matrix shows (pledges.data_version; any write
changes it), today's date ("as of" defaults to today) and the query string, so nothing is ever
invalidated: newer pages push out the least recently used beyond MATRIX_CACHE_ENTRIES. A page
is fresh as long as that version, which a process reads at most once per MATRIX_RECHECK_MS and
at once after its own writes. Every response says no-cache: a browser revalidates with the
ETag, and a repeat visit is answered with 304.

Readers all get the same page, and anyone the same HTMX partial: their finished bytes are
kept, plain and gzipped, under a weak ETag made of the key. A browser downloads ~20x less, and
gzip costs no CPU per request. Only pages without secrets are kept so: a compressed page that
mixes a secret with reflected input is what BREACH attacks. An editor's page differs in its
header and carries their CSRF token, so only its content is kept and the rest is rendered per
request, under a private ETag that adds the user and their CSRF cookie.
"""

from __future__ import annotations

import gzip
import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.contrib.messages import get_messages
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers

from .data_version import forget_data_version, recent_data_version

# Below this size gzip saves less than the round of headers it costs.
MIN_COMPRESSED_BYTES = 1024

# Renders HTML and its status; only a 200 is kept.
Render = Callable[[], tuple[str, int]]


def respond(
    request: HttpRequest, *, partial: bool, content: Render, frame: Callable[[str], str]
) -> HttpResponse:
    """The matrix for this request, rendered only when nothing kept will do: `content()`
    renders the HTMX partial or the page's content, `frame(body)` the site's header and
    footer around the content. A render that is not a 200 is answered as is."""
    key_parts = [recent_data_version(), timezone.localdate().isoformat(), request.GET.urlencode()]
    if partial:
        return _shared(request, [*key_parts, "partial"], content)
    # Messages are shown once: a page that shows one is neither shared nor revalidated.
    has_messages = bool(len(get_messages(request)))
    if request.user.is_anonymous and not has_messages:
        return _shared(request, [*key_parts, "page"], lambda: _framed(content, frame))
    etag = None if has_messages else _editor_etag(request, key_parts)
    if etag and (not_modified := get_conditional_response(request, etag=etag)):
        return _revalidated(not_modified, etag, private=True)
    key = "body:" + _digest(key_parts)
    body, status = _get(key), 200
    if body is None:
        body, status = content()
        if status == 200:
            _put(key, body)
    response = HttpResponse(frame(body), status=status)
    return _revalidated(response, etag, private=True) if etag and status == 200 else response


def clear() -> None:
    """Forget this process's rendered pages and the data version it last read."""
    with _lock:
        _pages.clear()
    forget_data_version()


def pages_kept() -> int:
    with _lock:
        return len(_pages)


def _framed(content: Render, frame: Callable[[str], str]) -> tuple[str, int]:
    body, status = content()
    return frame(body), status


def _digest(key_parts: list[str]) -> str:
    return hashlib.sha256("|".join(key_parts).encode()).hexdigest()


def _editor_etag(request: HttpRequest, key_parts: list[str]) -> str:
    # The page carries the site header (per user) and the CSRF token (per cookie).
    get_token(request)
    parts = [*key_parts, "page", str(request.user.pk), request.META["CSRF_COOKIE"]]
    return f'"{_digest(parts)[:40]}"'


def _revalidated(response: HttpResponse, etag: str, *, private: bool) -> HttpResponse:
    response["ETag"] = etag
    if private:
        # The page embeds this editor's CSRF token.
        patch_cache_control(response, private=True, no_cache=True)
    else:
        # A 304 says what the 200 would have varied on.
        patch_vary_headers(response, ("Accept-Encoding",))
        patch_cache_control(response, no_cache=True)
    return response


# --- Pages every reader gets the same --------------------------------------------------------


@dataclass(frozen=True)
class _SharedPage:
    body: bytes
    gzipped: bytes | None

    @classmethod
    def of(cls, html: str) -> _SharedPage:
        body = html.encode()
        # mtime=0: the same page always compresses to the same bytes.
        compressed = gzip.compress(body, compresslevel=6, mtime=0)
        smaller = len(body) >= MIN_COMPRESSED_BYTES and len(compressed) < len(body)
        return cls(body=body, gzipped=compressed if smaller else None)


def _shared(request: HttpRequest, key_parts: list[str], render: Render) -> HttpResponse:
    digest = _digest(key_parts)
    # Weak: the plain and the gzipped bytes are two encodings of the same page.
    etag = f'W/"{digest[:40]}"'
    if not_modified := get_conditional_response(request, etag=etag):
        return _revalidated(not_modified, etag, private=False)
    key = f"shared:{digest}"
    page = _get(key)
    if page is None:
        html, status = render()
        if status != 200:
            return HttpResponse(html, status=status)
        page = _SharedPage.of(html)
        _put(key, page)
    if page.gzipped is not None and _accepts_gzip(request):
        response = HttpResponse(page.gzipped)
        response["Content-Encoding"] = "gzip"
    else:
        response = HttpResponse(page.body)
    response["Content-Length"] = str(len(response.content))
    return _revalidated(response, etag, private=False)


def _accepts_gzip(request: HttpRequest) -> bool:
    # An explicit `gzip;q=0` refuses it, as does a refused `*` that gzip is not named apart from.
    header = request.META.get("HTTP_ACCEPT_ENCODING", "")
    weights = {}
    for item in header.split(","):
        coding, _, params = item.strip().partition(";")
        weight = 1.0
        name, _, value = params.strip().partition("=")
        if name.strip().lower() == "q":
            try:
                weight = float(value)
            except ValueError:
                weight = 0.0
        weights[coding.strip().lower()] = weight
    return weights.get("gzip", weights.get("*", 0.0)) > 0


# --- The pages this process keeps --------------------------------------------------------------
# Kept as the objects themselves, not pickled as Django's local-memory cache does: copying a
# megabyte-sized page on every hit would cost more than the rest of the request.

_lock = threading.Lock()
_pages: OrderedDict[str, object] = OrderedDict()


def _get(key: str) -> object | None:
    with _lock:
        page = _pages.get(key)
        if page is not None:
            _pages.move_to_end(key)
        return page


def _put(key: str, page: object) -> None:
    with _lock:
        _pages[key] = page
        _pages.move_to_end(key)
        while len(_pages) > settings.MATRIX_CACHE_ENTRIES:
            _pages.popitem(last=False)
