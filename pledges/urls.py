from __future__ import annotations

from django.urls import path

from . import changes, downloads, maps, views

app_name = "pledges"

urlpatterns = [
    path("", views.matrix, name="matrix"),
    path("matrix.csv", views.matrix_csv, name="matrix_csv"),
    path("map/", maps.world_map, name="map"),
    path("cells/<str:iso2>/<slug:slug>/", views.cell, name="cell"),
    path("nations/<str:iso2>/", views.nation, name="nation"),
    path("leaders/<int:pk>/", views.leader, name="leader"),
    path("sources/<int:pk>/", views.source, name="source"),
    path("changes/", changes.changes, name="changes"),
    path("changes/feed.atom", changes.changes_feed, name="changes_feed"),
    path("changes.json", changes.changes_json, name="changes_json"),
    path("methodology/", views.methodology, name="methodology"),
    path("data/", downloads.index, name="data"),
    path("data/index.json", downloads.index, name="data_index"),
    path("data/<str:release>/<str:name>", downloads.release_file, name="data_file"),
]
