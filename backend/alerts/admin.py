"""Warnings in the admin: read and audit. They are issued through the operators' API (history, CAP)."""

from django.contrib import admin

from backend.alerts.models import Alert, AlertRevision


class RevisionInline(admin.TabularInline):
    model = AlertRevision
    extra = 0
    can_delete = False
    readonly_fields = ["version", "msg_type", "sent_at", "actor", "changed", "snapshot"]

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(Alert)
class AlertAdmin(admin.ModelAdmin):
    list_display = ["title_vi", "kind", "severity", "city_wide", "starts_at", "expires_at", "cancelled_at", "version"]
    list_filter = ["kind", "severity", "city_wide"]
    search_fields = ["title_vi", "title_en", "body_vi"]
    inlines = [RevisionInline]

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False  # issue warnings through /api/v1/ops/alerts/ so each issue is recorded

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False
