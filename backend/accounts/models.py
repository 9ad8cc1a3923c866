"""People who use the system and how they prove who they are.

Citizens are identified by a phone number (E.164, so tourists and foreign residents can report too)
and log in with a one-time code; staff log in with a password. Every login yields a per-device token
of which only a hash is stored, so a leaked database does not leak usable tokens and one lost phone
can be revoked without logging out the others.
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models


class Role(models.TextChoices):
    CITIZEN = "citizen", "Người dân / Citizen"
    OPERATOR = "operator", "Điều hành viên IOC / IOC operator"
    AGENCY = "agency", "Cán bộ đơn vị / Agency staff"
    ADMIN = "admin", "Quản trị / Administrator"


class User(AbstractUser):
    phone = models.CharField("số điện thoại / phone", max_length=20, unique=True, null=True, blank=True)
    role = models.CharField("vai trò / role", max_length=16, choices=Role.choices, default=Role.CITIZEN)
    agency = models.ForeignKey(
        "routing.Agency",
        verbose_name="đơn vị / agency",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="staff",
    )

    class Meta:
        verbose_name = "người dùng / user"
        verbose_name_plural = "người dùng / users"
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(role="agency") | models.Q(agency__isnull=False),
                name="agency_staff_have_agency",
            )
        ]

    @property
    def is_operator(self) -> bool:
        return self.role in {Role.OPERATOR, Role.ADMIN}

    @property
    def is_agency_staff(self) -> bool:
        return self.role == Role.AGENCY


class DeviceToken(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="device_tokens")
    key_hash = models.CharField(max_length=64, unique=True)
    # The first characters identify a token in the admin and logs without revealing it.
    prefix = models.CharField(max_length=8)
    device = models.CharField("thiết bị / device", max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    # Every token ends (backend/accounts/tokens.py says how long each kind lives); a sliding one is
    # pushed forward by its use, the others end at this instant whatever happens.
    expires_at = models.DateTimeField("hết hạn / expires at")
    sliding = models.BooleanField("gia hạn khi dùng / extended by use", default=False)

    class Meta:
        verbose_name = "mã truy cập / device token"
        verbose_name_plural = "mã truy cập / device tokens"

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user})"


class OtpChallenge(models.Model):
    phone = models.CharField(max_length=20, db_index=True)
    code_hash = models.CharField(max_length=128)
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    consumed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "mã OTP / one-time code"
        verbose_name_plural = "mã OTP / one-time codes"
        indexes = [models.Index(fields=["phone", "-created_at"])]
