"""Writes for accounts: one-time-code login for citizens, password login for staff, staff creation."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import authenticate
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from backend.accounts.lockout import login_locked_for
from backend.accounts.models import OtpChallenge, Role, User
from backend.accounts.phones import is_sms_mobile, normalize_phone
from backend.accounts.sms import get_sms_sender
from backend.accounts.tokens import token_issue
from backend.core.db_locks import serialize_on
from backend.core.exceptions import Forbidden, InvalidInput, RateLimited
from backend.core.limits import Limit, limit_hit
from routing.selectors import agencies_all


def _code_hash(phone: str, code: str) -> str:
    # Keyed so that a database dump cannot be brute-forced offline over the 10^6 possible codes.
    return hmac.new(settings.SECRET_KEY.encode(), f"{phone}:{code}".encode(), hashlib.sha256).hexdigest()


def _phone_or_error(raw: str) -> str:
    phone = normalize_phone(raw)
    if phone is None:
        raise InvalidInput("invalid_phone", fields={"phone": ["invalid_phone"]})
    return phone


def otp_ip_limit() -> Limit:
    return Limit("otp_ip", settings.OTP_PER_IP_PER_HOUR, 3600, fail_open=False)


def sms_budget_limit() -> Limit:
    # One budget for the whole city: what the SMS contract may cost per hour, whoever asks.
    return Limit("sms_budget", settings.OTP_SMS_PER_HOUR, 3600, fail_open=False, code="sms_budget_exhausted")


def _otp_holder_may_log_in(phone: str) -> bool:
    """OTP logs in citizens only: a staff account with this phone keeps needing its password."""
    holder = User.objects.filter(phone=phone).only("role", "is_active").first()
    return holder is None or (holder.role == Role.CITIZEN and holder.is_active)


def otp_request(*, phone: str, client_ip: str = "") -> OtpChallenge:
    """Send a login code by SMS, within the per-address, per-phone and city-wide limits.

    The per-phone checks and the write run under a lock named after the phone, so parallel requests
    for one phone are counted one after another and send at most the allowed number of codes.
    """
    limit_hit(otp_ip_limit(), client_ip)
    phone = _phone_or_error(phone)
    if not is_sms_mobile(phone):
        raise InvalidInput("phone_not_mobile", fields={"phone": ["phone_not_mobile"]})
    code = f"{secrets.randbelow(10**6):06d}"
    with transaction.atomic():
        serialize_on(f"otp:{phone}")
        now = timezone.now()
        recent = list(
            OtpChallenge.objects.filter(phone=phone, created_at__gt=now - timedelta(hours=1))
            .order_by("created_at")
            .values_list("created_at", flat=True)
        )
        if recent:
            wait = settings.OTP_RESEND_SECONDS - int((now - recent[-1]).total_seconds())
            if wait > 0:
                raise RateLimited("otp_resend_too_soon", retry_after=wait, seconds=wait)
        if len(recent) >= settings.OTP_MAX_PER_HOUR:
            wait = max(1, int((recent[-settings.OTP_MAX_PER_HOUR] + timedelta(hours=1) - now).total_seconds()) + 1)
            raise RateLimited("otp_rate_limited", retry_after=wait)
        # A phone held by staff (or a deactivated account) gets the same answer and the same limits,
        # so the API does not tell who is staff, but no code is sent: the stored hash is of a code
        # nobody knows, and verify refuses the account anyway.
        deliver = _otp_holder_may_log_in(phone)
        if deliver:
            limit_hit(sms_budget_limit(), "city")
        # A new code ends every older one still open for this phone.
        OtpChallenge.objects.filter(phone=phone, consumed_at__isnull=True, expires_at__gt=now).update(expires_at=now)
        challenge = OtpChallenge.objects.create(
            phone=phone,
            code_hash=_code_hash(phone, code if deliver else secrets.token_hex(16)),
            created_at=now,
            expires_at=now + timedelta(seconds=settings.OTP_TTL_SECONDS),
        )
    if deliver:
        minutes = max(1, settings.OTP_TTL_SECONDS // 60)
        get_sms_sender().send(phone, f"Ma xac thuc Hue-S cua ban: {code}. Het han sau {minutes} phut.")
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
            raise InvalidInput("otp_expired", fields={"code": ["otp_expired"]})
        if challenge.attempts >= settings.OTP_MAX_ATTEMPTS:
            raise RateLimited("otp_too_many_attempts")
        if not hmac.compare_digest(challenge.code_hash, _code_hash(phone, code.strip())):
            challenge.attempts += 1
            challenge.save(update_fields=["attempts"])
            wrong = InvalidInput("otp_invalid", fields={"code": ["otp_invalid"]})
        else:
            # Using a code ends it and every other code of this phone, older ones included.
            OtpChallenge.objects.filter(phone=phone, consumed_at__isnull=True).update(consumed_at=now)
            wrong = None
    if wrong is not None:
        # Raised outside the atomic block so the attempt counter is committed.
        raise wrong
    if not _otp_holder_may_log_in(phone):
        raise Forbidden("otp_citizens_only")
    user, _ = User.objects.get_or_create(
        phone=phone, defaults={"username": f"citizen:{phone}", "role": Role.CITIZEN}
    )
    return user, token_issue(user=user, device=device)


def staff_login(*, request: HttpRequest | None, username: str, password: str, device: str = "") -> tuple[User, str]:
    """Password login for staff; the lockout lives in the authentication backend (every login path)."""
    user = authenticate(request, username=username, password=password)
    locked_for = login_locked_for(request)
    if locked_for:
        raise RateLimited("login_locked", retry_after=locked_for, seconds=locked_for)
    if user is None or not isinstance(user, User) or user.role == Role.CITIZEN:
        raise InvalidInput("invalid_credentials")
    return user, token_issue(user=user, device=device)


def user_ensure(*, username: str, role: str, agency_code: str | None = None) -> User:
    """Create or update a staff/citizen account for operations and integrations (issue_token)."""

    if role not in Role.values:
        raise ValueError(f"unknown role {role!r}; choose from {', '.join(Role.values)}")
    agency = None
    if role == Role.AGENCY:
        if not agency_code:
            raise ValueError("--agency CODE is required for role agency")
        agency = agencies_all().filter(code=agency_code).first()
        if agency is None:
            codes = ", ".join(agencies_all().values_list("code", flat=True))
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
