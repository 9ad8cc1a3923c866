"""Writes for accounts: one-time-code login for citizens, password login for staff, staff creation."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import authenticate
from django.db import transaction
from django.utils import timezone
from rest_framework import status

from backend.accounts.models import OtpChallenge, Role, User
from backend.accounts.phones import normalize_phone
from backend.accounts.sms import get_sms_sender
from backend.accounts.tokens import token_issue
from backend.core.errors import ApiError


def _code_hash(phone: str, code: str) -> str:
    # Keyed so that a database dump cannot be brute-forced offline over the 10^6 possible codes.
    return hmac.new(settings.SECRET_KEY.encode(), f"{phone}:{code}".encode(), hashlib.sha256).hexdigest()


def _phone_or_error(raw: str) -> str:
    phone = normalize_phone(raw)
    if phone is None:
        raise ApiError("invalid_phone", fields={"phone": ["invalid_phone"]})
    return phone


def otp_request(*, phone: str) -> OtpChallenge:
    phone = _phone_or_error(phone)
    now = timezone.now()
    recent = OtpChallenge.objects.filter(phone=phone, created_at__gte=now - timedelta(hours=1))
    last = recent.order_by("-created_at").first()
    if last is not None:
        wait = settings.OTP_RESEND_SECONDS - int((now - last.created_at).total_seconds())
        if wait > 0:
            raise ApiError("otp_resend_too_soon", status.HTTP_429_TOO_MANY_REQUESTS, seconds=wait)
    if recent.count() >= settings.OTP_MAX_PER_HOUR:
        raise ApiError("otp_rate_limited", status.HTTP_429_TOO_MANY_REQUESTS)
    code = f"{secrets.randbelow(10**6):06d}"
    challenge = OtpChallenge.objects.create(
        phone=phone,
        code_hash=_code_hash(phone, code),
        created_at=now,
        expires_at=now + timedelta(seconds=settings.OTP_TTL_SECONDS),
    )
    get_sms_sender().send(phone, f"Ma xac thuc Hue-S cua ban: {code}. Het han sau 5 phut.")
    return challenge


def otp_verify(*, phone: str, code: str, device: str = "") -> tuple[User, str]:
    phone = _phone_or_error(phone)
    now = timezone.now()
    with transaction.atomic():
        challenge = (
            OtpChallenge.objects.select_for_update()
            .filter(phone=phone, consumed_at__isnull=True)
            .order_by("-created_at")
            .first()
        )
        if challenge is None or challenge.expires_at <= now:
            raise ApiError("otp_expired", fields={"code": ["otp_expired"]})
        if challenge.attempts >= settings.OTP_MAX_ATTEMPTS:
            raise ApiError("otp_too_many_attempts", status.HTTP_429_TOO_MANY_REQUESTS)
        if not hmac.compare_digest(challenge.code_hash, _code_hash(phone, code.strip())):
            challenge.attempts += 1
            challenge.save(update_fields=["attempts"])
            wrong = ApiError("otp_invalid", fields={"code": ["otp_invalid"]})
        else:
            challenge.consumed_at = now
            challenge.save(update_fields=["consumed_at"])
            wrong = None
    if wrong is not None:
        # Raised outside the atomic block so the attempt counter is committed.
        raise wrong
    user, _ = User.objects.get_or_create(
        phone=phone, defaults={"username": f"citizen:{phone}", "role": Role.CITIZEN}
    )
    return user, token_issue(user=user, device=device)


def staff_login(*, username: str, password: str, device: str = "") -> tuple[User, str]:
    user = authenticate(username=username, password=password)
    if user is None or not isinstance(user, User) or user.role == Role.CITIZEN:
        raise ApiError("invalid_credentials", status.HTTP_400_BAD_REQUEST)
    return user, token_issue(user=user, device=device)


def user_ensure(*, username: str, role: str, agency_code: str | None = None) -> User:
    """Create or update a staff/citizen account for operations and integrations (issue_token)."""
    from routing.models import Agency

    if role not in Role.values:
        raise ValueError(f"unknown role {role!r}; choose from {', '.join(Role.values)}")
    agency = None
    if role == Role.AGENCY:
        if not agency_code:
            raise ValueError("--agency CODE is required for role agency")
        agency = Agency.objects.filter(code=agency_code).first()
        if agency is None:
            codes = ", ".join(Agency.objects.values_list("code", flat=True))
            raise ValueError(f"unknown agency {agency_code!r}; known: {codes}")
    user, _ = User.objects.get_or_create(username=username, defaults={"role": role, "agency": agency})
    user.role = role
    user.agency = agency
    user.is_staff = role in {Role.OPERATOR, Role.ADMIN}
    user.is_superuser = role == Role.ADMIN
    if role == Role.CITIZEN and user.phone is None:
        user.phone = normalize_phone(username)
    user.save()
    return user
