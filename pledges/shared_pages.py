"""Pages that are the same for every reader, rendered and gzip-compressed once per data version.

The matrix for anonymous readers (and its HTMX partial, for anyone) holds nothing per user, so
each process keeps the finished bytes, plain and compressed (pledges.rendered_pages). A
browser downloads ~20x less, and gzip costs no CPU on each request. Only pages without secrets
are stored this way: a compressed page that mixes a secret with reflected input is what BREACH
attacks, and these pages carry no CSRF token.
"""

from __future__ import annotations

import gzip
import hashlib
from collections.abc import Callable
from dataclasses import dataclass

from django.http import HttpRequest, HttpResponse
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers

from . import rendered_pages

# Below this size gzip saves less than the round of headers it costs.
MIN_COMPRESSED_BYTES = 1024


@dataclass(frozen=True)
class SharedPage:
    body: bytes
    gzipped: bytes | None

    @classmethod
    def of(cls, html: str) -> SharedPage:
        body = html.encode()
        # mtime=0: the same page always compresses to the same bytes.
        compressed = gzip.compress(body, compresslevel=6, mtime=0)
        smaller = len(body) >= MIN_COMPRESSED_BYTES and len(compressed) < len(body)
        return cls(body=body, gzipped=compressed if smaller else None)


def accepts_gzip(request: HttpRequest) -> bool:
    """Whether Accept-Encoding allows gzip (an explicit `gzip;q=0` refuses it, as does a
    refused `*` that gzip is not named apart from)."""
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


def shared_page(
    request: HttpRequest, key_parts: list[str], render: Callable[[], tuple[str, int]]
) -> HttpResponse:
    """The stored page for `key_parts` (which must change with the data), rendered by `render`
    on a miss. A render that is not a 200 is answered as is and never stored."""
    digest = hashlib.sha256("|".join(key_parts).encode()).hexdigest()
    # Weak: the plain and the gzipped bytes are two encodings of the same page.
    etag = f'W/"{digest[:40]}"'
    if not_modified := get_conditional_response(request, etag=etag):
        return _revalidated(not_modified, etag)
    key = f"shared:{digest}"
    page = rendered_pages.get(key)
    if page is None:
        html, status = render()
        if status != 200:
            return HttpResponse(html, status=status)
        page = SharedPage.of(html)
        rendered_pages.put(key, page)
    if page.gzipped is not None and accepts_gzip(request):
        response = HttpResponse(page.gzipped)
        response["Content-Encoding"] = "gzip"
    else:
        response = HttpResponse(page.body)
    response["Content-Length"] = str(len(response.content))
    return _revalidated(response, etag)


def _revalidated(response: HttpResponse, etag: str) -> HttpResponse:
    response["ETag"] = etag
    # A 304 says what the 200 would have varied on.
    patch_vary_headers(response, ("Accept-Encoding",))
    # No-cache: revalidate every time, so a write shows on the next visit.
    patch_cache_control(response, no_cache=True)
    return response
