from __future__ import annotations

from django.contrib import admin
from django.urls import include, path

from pledgewatch.health import healthz

admin.site.site_header = "Pledgewatch editors"
admin.site.site_title = "Pledgewatch"

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("review/", include("ingest.urls")),
    path("api/v1/", include("api.urls")),
    path("", include("pledges.urls")),
]
