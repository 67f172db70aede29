"""Pledgewatch's URLs plus `/bench/trivial/`, the cheapest view the stack can serve."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.urls import path
from django.views.decorators.http import require_GET

from pledgewatch.urls import urlpatterns as pledgewatch_urlpatterns


@require_GET
def trivial(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("bench/trivial/", trivial), *pledgewatch_urlpatterns]
