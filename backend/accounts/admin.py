from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from backend.accounts.models import DeviceToken, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "phone", "role", "agency", "is_active", "last_login"]
    list_filter = ["role", "agency", "is_active"]
    search_fields = ["username", "phone", "first_name", "last_name"]
    fieldsets = [
        *BaseUserAdmin.fieldsets,  # type: ignore[misc]
        ("Vai trò / Role", {"fields": ["phone", "role", "agency"]}),
    ]


@admin.register(DeviceToken)
class DeviceTokenAdmin(admin.ModelAdmin):
    list_display = ["prefix", "user", "device", "created_at", "last_used_at", "expires_at", "revoked_at"]
    readonly_fields = ["prefix", "key_hash", "created_at", "last_used_at", "sliding"]
    search_fields = ["prefix", "user__username", "user__phone"]
