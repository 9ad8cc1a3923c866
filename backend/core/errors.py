"""Every API error has one shape: {"error": {"code", "message", "fields"}} with a 4xx status.

The mobile app switches on `code`; `message` is for people, in Vietnamese or English according to
Accept-Language; `fields` maps each offending input to its list of problems.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.http import Http404, JsonResponse
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler

from backend.core.exceptions import (
    Conflict,
    DomainError,
    Forbidden,
    IllegalTransition,
    InvalidInput,
    NotFound,
    RateLimited,
    Unavailable,
    Unprocessable,
)
from backend.core.messages import Message, message, transition_params

# The API layer's mapping of domain refusals to HTTP (the services never name a status).
DOMAIN_STATUS: dict[type[DomainError], int] = {
    InvalidInput: status.HTTP_400_BAD_REQUEST,
    Forbidden: status.HTTP_403_FORBIDDEN,
    NotFound: status.HTTP_404_NOT_FOUND,
    Conflict: status.HTTP_409_CONFLICT,
    Unprocessable: status.HTTP_422_UNPROCESSABLE_ENTITY,
    RateLimited: status.HTTP_429_TOO_MANY_REQUESTS,
    Unavailable: status.HTTP_503_SERVICE_UNAVAILABLE,
}


class ApiError(exceptions.APIException):
    """A refusal raised by services: a code the client can act on, a status, optional field errors."""

    def __init__(
        self,
        code: str,
        status_code: int = status.HTTP_400_BAD_REQUEST,
        fields: dict[str, list[str]] | None = None,
        **params: object,
    ) -> None:
        self.code = code
        self.status_code = status_code
        self.fields = fields or {}
        self.params = params
        super().__init__(detail=message(code, **params), code=code)


def http_status_of(exc: DomainError) -> int:
    for kind in type(exc).__mro__:
        if kind in DOMAIN_STATUS:
            return DOMAIN_STATUS[kind]  # type: ignore[index]
    return status.HTTP_400_BAD_REQUEST


def api_error_from(exc: DomainError) -> ApiError:
    """A domain refusal as the API answers it: status by kind, message in the asker's language."""
    if isinstance(exc, IllegalTransition):
        params: dict[str, object] = dict(transition_params(exc.action, exc.status_label))
    else:  # a parameter may carry both wordings (a Message): it is rendered in the asker's language
        params = {k: v.render() if isinstance(v, Message) else v for k, v in exc.params.items()}
    fields = {
        name: [text.render() if isinstance(text, Message) else str(text) for text in texts]
        for name, texts in exc.fields.items()
    }
    error = ApiError(exc.code, http_status_of(exc), fields=fields, **params)
    retry_after = getattr(exc, "retry_after", None)  # RateLimited, Unavailable
    if retry_after is not None:
        # DRF's handler sends `wait` as the Retry-After header.
        error.wait = retry_after  # type: ignore[attr-defined]
    return error


def _flatten(detail: Any) -> list[str]:
    if isinstance(detail, dict):
        return [f"{key}: {text}" for key, value in detail.items() for text in _flatten(value)]
    if isinstance(detail, list):
        return [text for item in detail for text in _flatten(item)]
    return [str(detail)]


def _field_errors(detail: Any) -> dict[str, list[str]]:
    if not isinstance(detail, dict):
        return {}
    return {str(field): _flatten(problems) for field, problems in detail.items()}


def error_body(code: str, text: str, fields: dict[str, list[str]] | None = None) -> dict[str, Any]:
    return {"error": {"code": code, "message": text, "fields": fields or {}}}


_CODES = {
    exceptions.NotAuthenticated: "not_authenticated",
    exceptions.AuthenticationFailed: "authentication_failed",
    exceptions.PermissionDenied: "permission_denied",
    exceptions.NotFound: "not_found",
    exceptions.MethodNotAllowed: "method_not_allowed",
    exceptions.UnsupportedMediaType: "unsupported_media_type",
    exceptions.ParseError: "parse_error",
    exceptions.Throttled: "throttled",
}


def api_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, RequestDataTooBig):
        return Response(error_body("request_too_large", message("request_too_large")), status=413)
    if isinstance(exc, DomainError):
        exc = api_error_from(exc)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    response = exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, ApiError):
        body = error_body(exc.code, str(exc.detail), exc.fields)
    elif isinstance(exc, exceptions.ValidationError):
        fields = _field_errors(exc.detail)
        non_field = fields.pop("non_field_errors", None)
        text = message("invalid") if not non_field else " ".join(non_field)
        body = error_body("invalid", text, fields)
    else:
        code = next((c for cls, c in _CODES.items() if isinstance(exc, cls)), "error")
        text = message(code) if code != "error" else str(getattr(exc, "detail", exc))
        body = error_body(code, text)
    response.data = body
    return response


def json_error_view(code: str, status_code: int):  # type: ignore[no-untyped-def]
    """Django-level handlers (404/500 outside DRF) answer API clients in the same shape."""

    def view(request, exception=None):  # type: ignore[no-untyped-def]
        return JsonResponse(error_body(code, message(code)), status=status_code)

    return view
