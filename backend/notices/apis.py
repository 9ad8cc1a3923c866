"""GET /api/v1/public/notices/: the city's notices, guidance and FAQs (managed in the admin)."""

from __future__ import annotations

from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from backend.core.bilingual import OptionalEnglishTextOutput, optional_english
from backend.core.errors import ApiError
from backend.notices import selectors
from backend.notices.models import Notice, NoticeKind
from backend.reports.outputs import NameSerializer, bilingual


class NoticeOutput(serializers.Serializer):  # type: ignore[type-arg]
    id = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=NoticeKind.choices)
    kind_name = serializers.SerializerMethodField()
    title = serializers.SerializerMethodField(help_text="for an FAQ, the question")
    body = serializers.SerializerMethodField(help_text="for an FAQ, the answer")
    pinned = serializers.BooleanField()
    published_at = serializers.DateTimeField()
    expires_at = serializers.DateTimeField(allow_null=True)
    updated_at = serializers.DateTimeField()

    @extend_schema_field(NameSerializer)
    def get_kind_name(self, notice: Notice) -> dict[str, str]:
        return bilingual(NoticeKind(notice.kind).label)

    @extend_schema_field(OptionalEnglishTextOutput)
    def get_title(self, notice: Notice) -> dict[str, str | None]:
        return optional_english(notice.title_vi, notice.title_en)

    @extend_schema_field(OptionalEnglishTextOutput)
    def get_body(self, notice: Notice) -> dict[str, str | None]:
        return optional_english(notice.body_vi, notice.body_en)


class NoticePagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200


class PublicNoticeListApi(APIView):
    pagination_class = NoticePagination  # the schema documents the paginated envelope
    authentication_classes: list[type] = []
    permission_classes = [AllowAny]

    @extend_schema(
        operation_id="public_notices_list", tags=["public"], responses={200: NoticeOutput(many=True)},
        parameters=[
            OpenApiParameter("kind", str, enum=NoticeKind.values),
            OpenApiParameter("q", str, description="words, with or without diacritics"),
            OpenApiParameter("page", int), OpenApiParameter("page_size", int),
        ],
        description="Published, unexpired notices, guidance and FAQs: pinned first, then newest.",
    )
    def get(self, request: Request) -> Response:
        kind = request.query_params.get("kind") or None
        if kind is not None and kind not in NoticeKind.values:
            raise ApiError("invalid", fields={"kind": [f"one of {', '.join(NoticeKind.values)}"]})
        qs = selectors.public_notices(now=timezone.now(), kind=kind, query=request.query_params.get("q", ""))
        paginator = NoticePagination()
        page = paginator.paginate_queryset(qs, request, view=self)
        return paginator.get_paginated_response(NoticeOutput(page, many=True).data)


class PublicNoticeDetailApi(APIView):
    authentication_classes: list[type] = []
    permission_classes = [AllowAny]

    @extend_schema(operation_id="public_notices_retrieve", tags=["public"], responses={200: NoticeOutput})
    def get(self, request: Request, notice_id: int) -> Response:
        return Response(NoticeOutput(selectors.public_notice_get(now=timezone.now(), notice_id=notice_id)).data)
