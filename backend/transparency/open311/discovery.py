"""Open311 service discovery (/open311/discovery.json and .xml), as GeoReport v2's discovery spec has it:
where this city's endpoint is, which specification and formats it speaks, and whom to contact."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from backend.transparency.open311.views import FORMAT, NO_FORMAT_QUERY, Open311View
from routing.selectors import fallback_agency

SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
# Bump when the endpoint's behaviour changes in a way clients should notice.
CHANGESET = "2026-12-08T00:00:00+07:00"


def discovery(base_url: str) -> dict[str, Any]:
    ioc = fallback_agency()
    contact = f"{ioc.name_en}, hotline {ioc.phone}" if ioc is not None and ioc.phone else "Huế IOC"
    return {
        "changeset": CHANGESET,
        "contact": contact,
        "key_service": "POST needs an api_key: an integration token issued by the city (python manage.py issue_token)",
        "endpoints": [
            {
                "specification": SPECIFICATION,
                "url": f"{base_url}/open311/v2",
                "changeset": CHANGESET,
                "type": "production",
                "formats": ["text/xml", "application/json"],
            }
        ],
    }


class DiscoveryApi(Open311View):
    xml_root = "discovery"

    @extend_schema(
        operation_id="open311_discovery", parameters=[NO_FORMAT_QUERY, FORMAT], tags=["open311"],
        responses={200: inline_serializer("Open311Discovery", {
            "changeset": serializers.CharField(), "contact": serializers.CharField(),
            "key_service": serializers.CharField(), "endpoints": serializers.JSONField(),
        })},
        description="GeoReport v2 service discovery: the endpoint, its specification and formats.",
    )
    def get(self, request: Request, response_format: str) -> Response:
        return Response(discovery(request.build_absolute_uri("/").rstrip("/")))
