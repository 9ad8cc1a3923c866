"""Login endpoints. Thin: validate the input, call a service, shape the output."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema, extend_schema_serializer
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from backend.accounts import services
from backend.accounts.tokens import token_revoke
from backend.core.client_ip import client_ip


class TokenOutput(serializers.Serializer):
    token = serializers.CharField()
    user_id = serializers.IntegerField()
    role = serializers.CharField()
    agency = serializers.CharField(allow_null=True)


def _token_response(user, key: str) -> Response:  # type: ignore[no-untyped-def]
    data = {"token": key, "user_id": user.id, "role": user.role, "agency": user.agency.code if user.agency else None}
    return Response(TokenOutput(data).data, status=status.HTTP_200_OK)


class OtpRequestApi(APIView):
    permission_classes = [AllowAny]
    authentication_classes: list[type] = []

    @extend_schema_serializer(component_name="OtpRequestInput")
    class InputSerializer(serializers.Serializer):
        phone = serializers.CharField(max_length=32)

    @extend_schema_serializer(component_name="OtpRequestOutput")
    class OutputSerializer(serializers.Serializer):
        phone = serializers.CharField()
        expires_in = serializers.IntegerField()

    @extend_schema(request=InputSerializer, responses={202: OutputSerializer}, tags=["auth"])
    def post(self, request: Request) -> Response:
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        challenge = services.otp_request(phone=data.validated_data["phone"], client_ip=client_ip(request))
        expires_in = int((challenge.expires_at - challenge.created_at).total_seconds())
        return Response({"phone": challenge.phone, "expires_in": expires_in}, status=status.HTTP_202_ACCEPTED)


class OtpVerifyApi(APIView):
    permission_classes = [AllowAny]
    authentication_classes: list[type] = []

    @extend_schema_serializer(component_name="OtpVerifyInput")
    class InputSerializer(serializers.Serializer):
        phone = serializers.CharField(max_length=32)
        code = serializers.RegexField(r"^\s*\d{6}\s*$", max_length=12)
        device = serializers.CharField(max_length=100, required=False, allow_blank=True)

    @extend_schema(request=InputSerializer, responses={200: TokenOutput}, tags=["auth"])
    def post(self, request: Request) -> Response:
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        user, key = services.otp_verify(**data.validated_data)
        return _token_response(user, key)


class StaffLoginApi(APIView):
    permission_classes = [AllowAny]
    authentication_classes: list[type] = []

    @extend_schema_serializer(component_name="StaffLoginInput")
    class InputSerializer(serializers.Serializer):
        username = serializers.CharField(max_length=150)
        password = serializers.CharField(max_length=200, trim_whitespace=False)
        device = serializers.CharField(max_length=100, required=False, allow_blank=True)

    @extend_schema(request=InputSerializer, responses={200: TokenOutput}, tags=["auth"])
    def post(self, request: Request) -> Response:
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        user, key = services.staff_login(request=request._request, **data.validated_data)
        return _token_response(user, key)


class LogoutApi(APIView):
    """Revokes the token this request was made with (this device only)."""

    @extend_schema(request=None, responses={204: None}, tags=["auth"])
    def post(self, request: Request) -> Response:
        token_revoke(key=str(request.auth))
        return Response(status=status.HTTP_204_NO_CONTENT)
