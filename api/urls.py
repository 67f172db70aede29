from __future__ import annotations

from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from . import views

app_name = "api"

urlpatterns = [
    path("nations/", views.NationList.as_view(), name="nations"),
    path("blocs/", views.BlocList.as_view(), name="blocs"),
    path("leaders/", views.LeaderList.as_view(), name="leaders"),
    path("pledge-types/", views.PledgeTypeList.as_view(), name="pledge_types"),
    path("pledges/", views.PledgeList.as_view(), name="pledges"),
    path("matrix/", views.MatrixList.as_view(), name="matrix"),
    path("conditions/", views.ConditionList.as_view(), name="conditions"),
    path("sources/", views.SourceList.as_view(), name="sources"),
    path("quotes/", views.QuoteList.as_view(), name="quotes"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # Swagger UI with its start-up script served as a separate same-origin script (no inline
    # script or style, so the site's CSP holds); its files are vendored (drf-spectacular-sidecar).
    path(
        "docs/",
        SpectacularSwaggerSplitView.as_view(url_name="api:schema", template_name="api/docs.html"),
        name="docs",
    ),
]
