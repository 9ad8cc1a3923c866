from django.contrib import admin

from routing.models import Agency, Area, Category


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["code", "name_vi", "name_en", "position", "active"]
    list_editable = ["position", "active"]
    search_fields = ["code", "name_vi", "name_en"]


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ["code", "name_vi", "name_en", "phone", "is_fallback", "active"]
    list_filter = ["active", "is_fallback", "categories"]
    search_fields = ["code", "name_vi", "name_en", "short_name"]
    filter_horizontal = ["categories"]


@admin.register(Area)
class AreaAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "kind", "population", "area_km2", "has_boundary"]
    list_filter = ["kind"]
    search_fields = ["name", "code"]
    exclude = ["geometry"]

    @admin.display(boolean=True, description="ranh giới / boundary")
    def has_boundary(self, obj: Area) -> bool:
        return obj.geometry is not None
