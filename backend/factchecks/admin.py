from django.contrib import admin

from backend.factchecks.models import FactCheck, Sighting


class SightingInline(admin.TabularInline):
    model = Sighting
    extra = 0
    raw_id_fields = ["report"]
    readonly_fields = ["linked_by", "linked_at"]


@admin.register(FactCheck)
class FactCheckAdmin(admin.ModelAdmin):
    list_display = ["claim_vi", "verdict", "agency", "published", "published_at"]
    list_filter = ["verdict", "published", "agency"]
    search_fields = ["claim_vi", "claim_en", "search_text"]
    readonly_fields = ["created_by", "created_at", "updated_at"]
    fieldsets = [
        ("Tiếng Việt", {"fields": ["claim_vi", "explanation_vi"]}),
        ("English", {"fields": ["claim_en", "explanation_en"]}),
        (None, {"fields": ["verdict", "source_name", "source_url", "agency", "published", "published_at"]}),
        ("", {"fields": ["created_by", "created_at", "updated_at"]}),
    ]
    inlines = [SightingInline]

    def save_model(self, request, obj, form, change):  # type: ignore[no-untyped-def]
        if obj.created_by_id is None:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)
