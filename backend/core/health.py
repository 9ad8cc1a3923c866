"""Health for people and orchestrators.

- ``/api/v1/health/live/``: the process answers (no dependency checked): restart it when this fails.
- ``/api/v1/health/ready/``: it can serve: database, channel layer, cache and media storage answer;
  503 otherwise, so the proxy or orchestrator sends traffic elsewhere until they do.
- ``/api/v1/health/``: the readiness checks plus the engines found, for people reading it.
"""

from __future__ import annotations

import uuid
from typing import Any

from channels.layers import get_channel_layer
from django.conf import settings
from django.core.cache import cache
from django.core.files.storage import default_storage
from django.db import connection
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

OK, UNAVAILABLE = "ok", "unavailable"


def database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception:
        return False


def channel_layer_ok() -> bool:
    """The channel layer's backing service answers.

    No send/receive round trip through the layer: this runs in a request thread with an event loop of
    its own, and a layer that keeps one receiving task per process (realtime's Redis layer) would bind
    it to that short-lived loop, after which this server's sockets hear nothing. The Redis layer is
    checked by pinging its Redis; the in-memory layer lives in this process.
    """
    layer = get_channel_layer()
    if layer is None:
        return False
    backend = str(settings.CHANNEL_LAYERS["default"]["BACKEND"])
    if "redis" not in backend.lower():
        return True
    try:
        import redis

        client = redis.Redis.from_url(settings.REDIS_URL, socket_timeout=2, socket_connect_timeout=2)
        try:
            return bool(client.ping())
        finally:
            client.close()
    except Exception:
        return False


def cache_ok() -> bool:
    key, token = f"health:{uuid.uuid4().hex}", uuid.uuid4().hex
    try:
        cache.set(key, token, timeout=10)
        found = cache.get(key) == token
        cache.delete(key)
        return found
    except Exception:
        return False


def storage_ok() -> bool:
    # A name lookup reaches the bucket (or the media folder) without writing anything.
    try:
        default_storage.exists(f"health/{uuid.uuid4().hex}")
        return True
    except Exception:
        return False


def model_version() -> str | None:
    try:
        import triage

        return triage.model_version()
    except Exception:
        return None


def engines() -> dict[str, str]:
    """What this server found: database vendor, channel layer, cache and storage backends."""
    layers: dict[str, dict[str, Any]] = settings.CHANNEL_LAYERS
    layer = str(layers["default"]["BACKEND"])
    caches: dict[str, dict[str, Any]] = settings.CACHES
    cache_backend = str(caches["default"]["BACKEND"])
    storages: dict[str, Any] = settings.STORAGES
    storage = str(storages["default"]["BACKEND"])
    return {
        "database": connection.vendor,
        "database_pool": "psycopg" if connection.settings_dict.get("OPTIONS", {}).get("pool") else "none",
        "channel_layer": "redis" if "redis" in layer.lower() else "in_memory",
        "cache": "redis" if "redis" in cache_backend.lower() else "local_memory",
        "storage": "s3" if "s3" in storage.lower() else "filesystem",
    }


def readiness() -> dict[str, str]:
    checks = {"database": database_ok(), "channel_layer": channel_layer_ok(), "cache": cache_ok(), "storage": storage_ok()}
    return {name: OK if passed else UNAVAILABLE for name, passed in checks.items()}


_STATE = serializers.ChoiceField(choices=[OK, UNAVAILABLE])


class HealthApi(APIView):
    permission_classes = [AllowAny]
    authentication_classes: list[type] = []

    @extend_schema(
        responses={
            (200, "application/json"): inline_serializer(
                "Health",
                {
                    "status": serializers.ChoiceField(choices=["ok", "degraded", "unavailable"]),
                    "database": _STATE,
                    "channel_layer": _STATE,
                    "cache": _STATE,
                    "storage": _STATE,
                    "model_version": serializers.CharField(allow_null=True),
                    "engines": inline_serializer(
                        "HealthEngines",
                        {name: serializers.CharField() for name in
                         ("database", "database_pool", "channel_layer", "cache", "storage")},
                    ),
                },
            )
        },
        tags=["system"],
        description="Readiness checks, the engines found and the triage model in use. 503 without a database.",
    )
    def get(self, request: Request) -> Response:
        checks = readiness()
        every = all(value == OK for value in checks.values())
        status = "ok" if every else ("degraded" if checks["database"] == OK else "unavailable")
        body = {"status": status, **checks, "model_version": model_version(), "engines": engines()}
        return Response(body, status=200 if checks["database"] == OK else 503)


class LivenessApi(APIView):
    permission_classes = [AllowAny]
    authentication_classes: list[type] = []

    @extend_schema(
        responses={200: inline_serializer("Liveness", {"status": serializers.CharField()})},
        tags=["system"],
        description="The process answers; nothing else is checked (restart the process when this fails).",
    )
    def get(self, request: Request) -> Response:
        return Response({"status": "ok"})


class ReadinessApi(APIView):
    permission_classes = [AllowAny]
    authentication_classes: list[type] = []

    @extend_schema(
        responses={
            200: inline_serializer(
                "Readiness",
                {"status": serializers.CharField(), "database": _STATE, "channel_layer": _STATE,
                 "cache": _STATE, "storage": _STATE},
            )
        },
        tags=["system"],
        description="503 until database, channel layer, cache and media storage all answer.",
    )
    def get(self, request: Request) -> Response:
        checks = readiness()
        ready = all(value == OK for value in checks.values())
        return Response({"status": "ok" if ready else "unavailable", **checks}, status=200 if ready else 503)
