from __future__ import annotations

import uuid
from typing import Any

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import connection
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView


def database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception:
        return False


def channel_layer_ok() -> bool:
    layer = get_channel_layer()
    if layer is None:
        return False

    async def roundtrip() -> bool:
        channel = await layer.new_channel("health.")
        token = uuid.uuid4().hex
        await layer.send(channel, {"type": "health.ping", "token": token})
        message: dict[str, Any] = await layer.receive(channel)
        return message.get("token") == token

    try:
        return bool(async_to_sync(roundtrip)())
    except Exception:
        return False


def model_version() -> str | None:
    try:
        import triage

        return triage.model_version()
    except Exception:
        return None


class HealthApi(APIView):
    permission_classes = [AllowAny]
    authentication_classes: list[type] = []

    @extend_schema(
        responses={
            200: inline_serializer(
                "Health",
                {
                    "status": serializers.CharField(),
                    "database": serializers.CharField(),
                    "channel_layer": serializers.CharField(),
                    "model_version": serializers.CharField(allow_null=True),
                },
            )
        },
        tags=["system"],
    )
    def get(self, request: Request) -> Response:
        db = database_ok()
        layer = channel_layer_ok()
        body = {
            "status": "ok" if db and layer else "degraded",
            "database": "ok" if db else "unavailable",
            "channel_layer": "ok" if layer else "unavailable",
            "model_version": model_version(),
        }
        return Response(body, status=200 if db else 503)
