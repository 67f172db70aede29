from __future__ import annotations

from django.urls import path

from . import views

app_name = "ingest"

urlpatterns = [
    path("", views.review_queue, name="review"),
    path("candidates/<int:pk>/<str:decision>/", views.candidate_decide, name="decide"),
    path("bulk/", views.review_bulk, name="bulk"),
    path("articles/new/", views.article_submit, name="submit"),
    path("articles/<int:pk>/", views.article_status, name="article"),
    path("feeds/", views.feeds, name="feeds"),
]
