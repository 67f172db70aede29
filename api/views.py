"""The read-only JSON API (/api/v1/): one list per table the public pages show, and the matrix.

Every list:
- takes the readers' filters (pledges.filters: the FilterSets the HTML matrix and its CSV
  use), and answers an unknown parameter, like a bad value, with a 400 naming it;
- is paginated by page number in a stable order (ending on a unique key);
- has an ETag, and answers If-None-Match with a 304 before reading any row: the ETag is made
  of the data version (pledges.data_version), today's date (the matrix's default "as of") and
  the query. Sources and new quotes are not counted by the data version's triggers, so those
  two lists' ETags hash what the response holds instead.
"""

from __future__ import annotations

import hashlib
import json

from django.db.models import Exists, OuterRef, Prefetch, QuerySet
from django.http import HttpResponse
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control
from django_filters.rest_framework import DjangoFilterBackend
from django_filters.utils import translate_validation
from drf_spectacular.utils import extend_schema
from rest_framework import generics
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request

from pledges import filters, selectors
from pledges.data_version import recent_data_version
from pledges.models import Bloc, Condition, Leader, Nation, Pledge, PledgeType, Quote, Source

from . import serializers


class Pages(PageNumberPagination):
    """`page` (from 1) and `page_size` (up to 1000); a bad one is a 400 that names it."""

    page_size = 100
    page_size_query_param = "page_size"
    max_page_size = 1000
    parameters = ("page", "page_size")

    def get_page_size(self, request: Request) -> int:
        value = request.query_params.get(self.page_size_query_param)
        if value is None:
            return self.page_size
        if not value.isascii() or not value.isdigit() or not 1 <= int(value) <= self.max_page_size:
            raise ValidationError(
                {"page_size": [f"Enter a whole number from 1 to {self.max_page_size}."]}
            )
        return int(value)

    def paginate_queryset(self, queryset, request, view=None):
        value = request.query_params.get(self.page_query_param, "1")
        if not value.isascii() or not value.isdigit() or int(value) < 1:
            raise ValidationError({"page": ["Enter a whole number from 1."]})
        try:
            return super().paginate_queryset(queryset, request, view)
        except NotFound as exc:
            raise ValidationError({"page": ["No such page: past the last one."]}) from exc


class JsonAlways(BaseContentNegotiation):
    """JSON whatever the Accept header or a `format` parameter asks (which is then an unknown
    parameter, a 400, instead of DRF's 404 for a format it lacks)."""

    def select_parser(self, request, parsers):
        return parsers[0] if parsers else None

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


class ListView(generics.ListAPIView):
    """A list of one table: filtered, paginated, revalidated by ETag."""

    content_negotiation_class = JsonAlways
    filter_backends = (DjangoFilterBackend,)
    pagination_class = Pages
    # False: the ETag comes from the data version, before any row is read.
    etag_from_content = False

    def list(self, request: Request, *args, **kwargs) -> HttpResponse:
        self._refuse_unknown_parameters(request)
        etag = None if self.etag_from_content else self._version_etag(request)
        if etag and (not_modified := get_conditional_response(request, etag=etag)):
            return _revalidate(not_modified, etag)
        response = super().list(request, *args, **kwargs)
        if etag is None:
            content = json.dumps(response.data, sort_keys=True, default=str).encode()
            etag = f'"{hashlib.sha256(content).hexdigest()[:40]}"'
            if not_modified := get_conditional_response(request, etag=etag):
                return _revalidate(not_modified, etag)
        return _revalidate(response, etag)

    def _refuse_unknown_parameters(self, request: Request) -> None:
        known = {*self.filterset_class.base_filters, *Pages.parameters}
        unknown = sorted(set(request.query_params) - known)
        if unknown:
            raise ValidationError(
                {
                    name: [f"Unknown parameter; this list takes {', '.join(sorted(known))}."]
                    for name in unknown
                }
            )

    def _version_etag(self, request: Request) -> str:
        query = sorted(request.query_params.lists())
        parts = [recent_data_version(), timezone.localdate().isoformat(), request.path, query]
        digest = hashlib.sha256(json.dumps(parts).encode()).hexdigest()
        return f'"{digest[:40]}"'


def _revalidate(response: HttpResponse, etag: str) -> HttpResponse:
    response["ETag"] = etag
    patch_cache_control(response, no_cache=True)
    return response


@extend_schema(summary="Nations, with their blocs", tags=["reference"])
class NationList(ListView):
    serializer_class = serializers.NationSerializer
    filterset_class = filters.NationFilterSet
    queryset = Nation.objects.prefetch_related(
        Prefetch("blocs", queryset=Bloc.objects.only("id", "slug"))
    ).order_by("name", "iso2")


@extend_schema(summary="Blocs", tags=["reference"])
class BlocList(ListView):
    serializer_class = serializers.BlocSerializer
    filterset_class = filters.BlocFilterSet
    queryset = Bloc.objects.order_by("name", "slug")


@extend_schema(summary="Leaders", tags=["reference"])
class LeaderList(ListView):
    serializer_class = serializers.LeaderSerializer
    filterset_class = filters.LeaderFilterSet
    queryset = Leader.objects.select_related("nation").order_by("name", "id")


@extend_schema(summary="Pledge types (the matrix's columns)", tags=["reference"])
class PledgeTypeList(ListView):
    serializer_class = serializers.PledgeTypeSerializer
    filterset_class = filters.PledgeTypeFilterSet
    queryset = PledgeType.objects.order_by("order", "slug")


@extend_schema(summary="Conditions pledges are made on", tags=["reference"])
class ConditionList(ListView):
    serializer_class = serializers.ConditionSerializer
    filterset_class = filters.ConditionFilterSet
    # As on the public pages, which show a condition only with a pledge that sets it.
    queryset = Condition.objects.filter(
        Exists(Pledge.conditions.through.objects.filter(condition_id=OuterRef("pk")))
    ).order_by("name", "id")


def _pledge_relations() -> list[Prefetch]:
    return [
        Prefetch("conditions", queryset=Condition.objects.only("id")),
        Prefetch("sources", queryset=Source.objects.only("id")),
        Prefetch("quotes", queryset=Quote.objects.only("id")),
    ]


@extend_schema(summary="Every statement (each pledge, not only a cell's latest)", tags=["data"])
class PledgeList(ListView):
    serializer_class = serializers.PledgeSerializer
    filterset_class = filters.PledgeFilterSet
    queryset = (
        Pledge.objects.select_related("nation", "pledge_type")
        .prefetch_related(*_pledge_relations())
        .order_by("-announced_on", "-id")
    )


class MatrixPages(Pages):
    """Pages of the matrix, which also say the date they are the latest as of."""

    def paginate_queryset(self, queryset, request, view=None):
        self.as_of = view.as_of
        return super().paginate_queryset(queryset, request, view)

    def get_paginated_response(self, data):
        response = super().get_paginated_response(data)
        response.data = {"as_of": self.as_of.isoformat(), **response.data}
        return response

    def get_paginated_response_schema(self, schema):
        paged = super().get_paginated_response_schema(schema)
        as_of = {"type": "string", "format": "date", "description": "The date asked, or today."}
        paged["properties"] = {"as_of": as_of, **paged["properties"]}
        paged["required"] = ["as_of", *paged.get("required", [])]
        return paged


@extend_schema(
    summary="The matrix: each nation's latest pledge per type as of a date",
    description="The rows the matrix page and its CSV show for the same parameters; "
    "`as_of` defaults to today.",
    tags=["data"],
)
class MatrixList(ListView):
    serializer_class = serializers.MatrixCellSerializer
    filterset_class = filters.MatrixFilterSet
    pagination_class = MatrixPages
    queryset = Pledge.objects.none()

    def filter_queryset(self, queryset: QuerySet) -> QuerySet:
        # What DjangoFilterBackend does, keeping the FilterSet for its date.
        filterset = self.filterset_class(self.request.query_params, queryset=queryset)
        if not filterset.is_valid():
            raise translate_validation(filterset.errors)
        self.as_of = filterset.selection().as_of
        # The FilterSet reads through selectors.latest_pledges; the order adds the nation's
        # id so that two nations of the same name keep their places from page to page.
        return filterset.qs.prefetch_related(*_pledge_relations()).order_by(
            "nation__name", "nation_id", "pledge_type__order", "pledge_type__slug"
        )


@extend_schema(
    summary="Sources: metadata and link (never the stored text)",
    tags=["evidence"],
)
class SourceList(ListView):
    serializer_class = serializers.SourceSerializer
    filterset_class = filters.SourceFilterSet
    etag_from_content = True
    queryset = (
        selectors.public_sources()
        .only("id", "url", "outlet", "title", "published_on")
        .order_by("-published_on", "-id")
    )


@extend_schema(
    summary="Quotes the public pages show (reviewed, or cited by a pledge)",
    tags=["evidence"],
)
class QuoteList(ListView):
    serializer_class = serializers.QuoteSerializer
    filterset_class = filters.QuoteFilterSet
    etag_from_content = True

    def get_queryset(self) -> QuerySet[Quote]:
        return selectors.public_quotes().select_related("nation").order_by("-said_on", "-id")
