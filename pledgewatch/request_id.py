"""A request id on every request, its response and every log line written while serving it.

The id comes from the proxy's X-Request-ID header when it is a sane token, so one id
follows a request through proxy, gunicorn and Django; otherwise a fresh one is made. One
log line per request (method, path, status, duration) ties the id to what was asked.
"""

from __future__ import annotations

import logging
import re
import time
import uuid
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from pledgewatch.logging import bind, unbind

HEADER = "X-Request-ID"
# Anything else (too long, spaces, quotes, control characters) could forge or break log
# lines, so it is replaced rather than trusted.
VALID_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")

logger = logging.getLogger("pledgewatch.requests")


def request_id_for(request: HttpRequest) -> str:
    given = request.headers.get(HEADER, "")
    return given if VALID_ID.match(given) else uuid.uuid4().hex


class RequestIdMiddleware:
    """First in MIDDLEWARE, so that everything after it logs with the id."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.id = request_id_for(request)
        token = bind(request_id=request.id)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            response[HEADER] = request.id
            logger.info(
                "%s %s %s",
                request.method,
                request.path,
                response.status_code,
                extra={
                    "method": request.method,
                    "path": request.path,
                    "status": response.status_code,
                    "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                },
            )
            return response
        finally:
            unbind(token)
