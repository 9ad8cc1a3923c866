from django.contrib import admin

from backend.notices.models import Notice


@admin.register(Notice)
class NoticeAdmin(admin.ModelAdmin):
    list_display = ["title_vi", "kind", "published", "pinned", "published_at", "expires_at"]
    list_filter = ["kind", "published", "pinned"]
    search_fields = ["title_vi", "title_en", "search_text"]
    fieldsets = [
        ("Tiếng Việt", {"fields": ["kind", "title_vi", "body_vi"]}),
        ("English", {"fields": ["title_en", "body_en"]}),
        (None, {"fields": ["published", "pinned", "published_at", "expires_at"]}),
    ]
