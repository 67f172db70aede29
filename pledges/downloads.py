"""The bulk downloads under /data/, served from DATA_RELEASES_DIR (pledges.releases builds
them): the index of releases, and each release's files by id or as `latest`.

Only names from a fixed list in releases the index lists are served, so no request reaches
any other file, whatever its path says. Dated releases never change (cached for a year);
`latest` and the index are cached for a minute. Each answer carries an ETag (the file's
sha256) and Last-Modified, and answers a conditional request with 304.
"""

from __future__ import annotations

import datetime as dt
import hashlib

from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.cache import get_conditional_response
from django.utils.http import http_date
from django.views.decorators.http import require_safe

from . import releases

LATEST = "latest"
SHORT_CACHE = "public, max-age=60"
FOREVER = "public, max-age=31536000, immutable"
TEXT = {".csv", ".jsonl", ".json"}


def _timestamp(created: str) -> int:
    return int(dt.datetime.fromisoformat(created.replace("Z", "+00:00")).timestamp())


def _content_type(name: str) -> str:
    media = releases.CONTENT_TYPES[name]
    return f"{media}; charset=utf-8" if name[name.rindex(".") :] in TEXT else media


def _open_data(response: HttpResponse, cache_control: str) -> HttpResponse:
    response["Cache-Control"] = cache_control
    # Public data, read by scripts and notebooks anywhere.
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_safe
def index(request: HttpRequest) -> HttpResponse:
    """index.json: the releases kept, newest first (an empty list before the first build)."""
    path = releases.releases_dir() / releases.INDEX
    try:
        body = path.read_bytes()
    except FileNotFoundError:
        body = b'{"releases": []}\n'
    etag = f'"{hashlib.sha256(body).hexdigest()}"'
    latest = releases.read_index()["releases"][:1]
    last_modified = _timestamp(latest[0]["created"]) if latest else None
    not_modified = get_conditional_response(request, etag=etag, last_modified=last_modified)
    response = not_modified or HttpResponse(body, content_type="application/json; charset=utf-8")
    response["ETag"] = etag
    if last_modified is not None:
        response["Last-Modified"] = http_date(last_modified)
    return _open_data(response, SHORT_CACHE)


@require_safe
def release_file(request: HttpRequest, release: str, name: str) -> HttpResponse:
    if name not in releases.RELEASE_FILES or not (
        release == LATEST or releases.RELEASE_ID.match(release)
    ):
        raise Http404("No such file.")
    listed = releases.read_index()["releases"]
    if release == LATEST:
        entry = listed[0] if listed else None
    else:
        entry = next((r for r in listed if r["id"] == release), None)
    if entry is None:
        raise Http404("No such release.")
    described = next((f for f in entry["files"] if f["name"] == name), None)
    path = releases.releases_dir() / entry["id"] / name
    if described is None or not path.is_file():
        raise Http404("No such file.")
    etag, last_modified = f'"{described["sha256"]}"', _timestamp(entry["created"])
    response = get_conditional_response(request, etag=etag, last_modified=last_modified)
    if response is None:
        response = FileResponse(
            path.open("rb"),
            content_type=_content_type(name),
            as_attachment=name.endswith((".csv", ".xlsx")),
            filename=f"pledgewatch-{entry['id']}-{name}",
        )
    response["ETag"] = etag
    response["Last-Modified"] = http_date(last_modified)
    if release == LATEST:
        response["Content-Location"] = reverse("pledges:data_file", args=[entry["id"], name])
        return _open_data(response, SHORT_CACHE)
    return _open_data(response, FOREVER)
