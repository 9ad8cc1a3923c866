from django.contrib import admin

from backend.reports.models import Photo, Report, ReportEvent


class PhotoInline(admin.TabularInline):
    model = Photo
    extra = 0
    readonly_fields = ["kind", "position", "image", "thumbnail", "width", "height", "gps_lat", "gps_lon"]
    can_delete = False


class EventInline(admin.TabularInline):
    model = ReportEvent
    extra = 0
    readonly_fields = ["kind", "actor", "old_status", "new_status", "note", "is_public", "created_at"]
    can_delete = False

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False  # the trail is append-only through services


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    list_display = ["tracking_code", "status", "category", "urgency", "area", "agency", "due_at", "created_at"]
    list_filter = ["status", "category", "urgency", "agency", "area"]
    search_fields = ["tracking_code", "description"]
    readonly_fields = ["tracking_code", "reporter", "created_at", "updated_at", "triage_scores", "triage_rules"]
    inlines = [PhotoInline, EventInline]
    date_hierarchy = "created_at"
