"""The admin shows reports and their trail; every change of a lifecycle field goes through the services.

A city admin may correct the category and urgency (re-routed as an operator's triage would be),
forward to another agency, or mark a report sensitive: the same services as the dashboard run, with
their transition checks, their audit events and their live updates. Nothing else of a report is
editable here (status moves only through the lifecycle; a citizen's words are not rewritten), reports
are never added or deleted here, and the audit trail is read-only.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.http import HttpRequest

from backend.core.errors import api_error_from
from backend.core.exceptions import DomainError
from backend.reports.models import Photo, Report, ReportEvent
from backend.reports.services import lifecycle

ADMIN_REASON = "Sửa qua trang quản trị / changed in the admin"
REFUSED = "_lifecycle_refused"


class PhotoInline(admin.TabularInline):
    model = Photo
    extra = 0
    fields = readonly_fields = (  # type: ignore[assignment]
        "kind", "position", "image", "thumbnail", "width", "height", "gps_lat", "gps_lon",
    )
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class EventInline(admin.TabularInline):
    model = ReportEvent
    extra = 0
    fields = readonly_fields = (  # type: ignore[assignment]
        "created_at", "kind", "actor", "actor_role", "old_status", "new_status", "old_value", "new_value", "note",
        "is_public", "hash",
    )
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # the trail is append-only through services

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    list_display = ["tracking_code", "status", "category", "urgency", "area", "agency", "sensitive", "due_at", "created_at"]
    list_filter = ["status", "category", "urgency", "agency", "area", "sensitive"]
    search_fields = ["tracking_code", "description"]
    # The only editable fields; each change runs its lifecycle service (save_model).
    LIFECYCLE_FIELDS = ("category", "urgency", "agency", "sensitive")
    inlines = [PhotoInline, EventInline]
    date_hierarchy = "created_at"

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return [f.name for f in Report._meta.fields if f.name not in self.LIFECYCLE_FIELDS]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # reports come from citizens, through intake

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # a report's history is kept

    def save_model(self, request: HttpRequest, obj: Report, form: Any, change: bool) -> None:
        """Run the services for what changed, never a plain save of the row."""
        changed = set(form.changed_data)
        actor: Any = request.user
        try:
            if changed & {"category", "urgency"} and obj.category is not None:
                lifecycle.report_triage_confirm(
                    actor=actor, report_id=obj.pk, category=obj.category, urgency=obj.urgency or "normal"
                )
            if "agency" in changed and obj.agency is not None:
                lifecycle.report_assign(actor=actor, report_id=obj.pk, agency=obj.agency)
            if "sensitive" in changed:
                lifecycle.report_mark_sensitive(
                    actor=actor, report_id=obj.pk, sensitive=obj.sensitive, reason=ADMIN_REASON
                )
        except DomainError as exc:
            setattr(request, REFUSED, True)
            self.message_user(request, str(api_error_from(exc).detail), level=messages.ERROR)

    def message_user(  # type: ignore[override]
        self, request: HttpRequest, message: Any, level: int | str = messages.INFO, *args: Any, **kwargs: Any
    ) -> None:
        # After a refusal the admin's "changed successfully" would be false.
        if getattr(request, REFUSED, False) and level != messages.ERROR:
            return
        super().message_user(request, message, level, *args, **kwargs)
