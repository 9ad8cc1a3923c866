"""Reference lists anyone may read: categories, agencies, wards."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema, extend_schema_serializer
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from routing.models import Agency, Area, Category
from routing.selectors import agencies_active, areas_all, categories_active


class CategoryListApi(APIView):
    permission_classes = [AllowAny]

    @extend_schema_serializer(component_name="CategoryOutput")
    class OutputSerializer(serializers.ModelSerializer):
        class Meta:
            model = Category
            fields = ["code", "name_vi", "name_en", "description_vi", "description_en"]

    @extend_schema(responses={200: OutputSerializer(many=True)}, tags=["reference"])
    def get(self, request: Request) -> Response:
        return Response(self.OutputSerializer(categories_active(), many=True).data)


class AgencyListApi(APIView):
    permission_classes = [AllowAny]

    @extend_schema_serializer(component_name="AgencyOutput")
    class OutputSerializer(serializers.ModelSerializer):
        categories: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)

        class Meta:
            model = Agency
            fields = ["code", "name_vi", "name_en", "short_name", "phone", "categories", "is_fallback"]

    @extend_schema(responses={200: OutputSerializer(many=True)}, tags=["reference"])
    def get(self, request: Request) -> Response:
        agencies = agencies_active().prefetch_related("categories")
        return Response(self.OutputSerializer(agencies, many=True).data)


class AreaListApi(APIView):
    permission_classes = [AllowAny]

    @extend_schema_serializer(component_name="AreaOutput")
    class OutputSerializer(serializers.ModelSerializer):
        class Meta:
            model = Area
            fields = ["code", "name", "kind", "centre_lat", "centre_lon", "population", "area_km2"]

    @extend_schema(responses={200: OutputSerializer(many=True)}, tags=["reference"])
    def get(self, request: Request) -> Response:
        return Response(self.OutputSerializer(areas_all(), many=True).data)
