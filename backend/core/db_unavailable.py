"""The database gone mid-request answers 503 with Retry-After, in the API's error shape.

A lost connection (failover, restart, network) raises OperationalError or InterfaceError wherever the
request was; every write runs in a transaction, so nothing partial was kept, and the client may
retry (a report with the same Idempotency-Key). Without this the answer would be a 500 "server
error", which tells the phone nothing useful.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse

from backend.core.errors import error_body
from backend.core.messages import message

logger = logging.getLogger(__name__)
RETRY_AFTER_SECONDS = 5


class DatabaseUnavailableMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> Any:
        if not isinstance(exception, OperationalError | InterfaceError):
            return None
        logger.error("database unavailable: %s", type(exception).__name__)
        response = JsonResponse(error_body("temporarily_unavailable", message("temporarily_unavailable")), status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
