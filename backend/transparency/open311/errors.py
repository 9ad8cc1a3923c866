"""Errors as GeoReport v2 writes them: `[{"code": 400, "description": "..."}]`, one per problem.

The same refusals as the rest of the API (ApiError, validation, 404, 405, 415...) with the same
localized messages, reshaped; `code` is the HTTP status, as the spec's examples have it.
"""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpRequest, HttpResponse
from rest_framework.response import Response

from backend.core.errors import api_exception_handler
from backend.core.messages import message
from backend.transparency.open311.formats import to_xml


def descriptions(error: dict[str, Any]) -> list[str]:
    """The problems of one `{"code", "message", "fields"}` error, one sentence each."""
    fields = error.get("fields") or {}
    problems = [f"{field}: {text}" for field, texts in fields.items() for text in texts]
    return problems or [error["message"]]


def open311_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    response = api_exception_handler(exc, context)
    if response is None:
        return None
    response.data = [{"code": response.status_code, "description": text} for text in descriptions(response.data["error"])]
    return response


def not_found_view(request: HttpRequest, path: str = "") -> HttpResponse:
    """Any other path under /open311/v2/: 404 in the spec's shape (XML when the path asks for it)."""
    body = [{"code": 404, "description": message("open311_not_found")}]
    if request.path.endswith(".xml"):
        return HttpResponse(to_xml("errors", body), status=404, content_type="text/xml; charset=utf-8")
    return HttpResponse(json.dumps(body, ensure_ascii=False), status=404, content_type="application/json; charset=utf-8")
