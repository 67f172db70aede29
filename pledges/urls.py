from __future__ import annotations

from django.urls import path

from . import views

app_name = "pledges"

urlpatterns = [
    path("", views.matrix, name="matrix"),
    path("matrix.csv", views.matrix_csv, name="matrix_csv"),
    path("cells/<str:iso2>/<slug:slug>/", views.cell, name="cell"),
    path("nations/<str:iso2>/", views.nation, name="nation"),
    path("leaders/<int:pk>/", views.leader, name="leader"),
    path("sources/<int:pk>/", views.source, name="source"),
]
