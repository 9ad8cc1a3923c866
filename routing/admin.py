from django.contrib import admin

from routing.models import Agency, Area, Category, CategoryDefaultAgency, DeadlineSetting, RoutingRule


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["code", "name_vi", "name_en", "position", "active", "publishable"]
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


@admin.register(RoutingRule)
class RoutingRuleAdmin(admin.ModelAdmin):
    """Ordered rules: the first active one that matches wins; edit `thứ tự` to reorder."""

    list_display = ["order", "category", "ward_list", "urgency_list", "agency", "active", "note"]
    list_display_links = ["category"]
    list_editable = ["order", "active"]
    list_filter = ["active", "agency", "category"]
    search_fields = ["note", "agency__code", "agency__name_vi", "category__code", "category__name_vi"]
    filter_horizontal = ["areas"]
    ordering = ["order", "id"]

    @admin.display(description="phường/xã / wards")
    def ward_list(self, obj: RoutingRule) -> str:
        names = [a.name for a in obj.areas.all()]
        return ", ".join(names) if names else "tất cả / any"

    @admin.display(description="mức độ khẩn / urgencies")
    def urgency_list(self, obj: RoutingRule) -> str:
        return ", ".join(obj.urgencies) if obj.urgencies else "tất cả / any"

    def get_queryset(self, request):  # type: ignore[no-untyped-def]
        return super().get_queryset(request).select_related("category", "agency").prefetch_related("areas")


@admin.register(CategoryDefaultAgency)
class CategoryDefaultAgencyAdmin(admin.ModelAdmin):
    list_display = ["category", "agency"]
    list_editable = ["agency"]
    list_display_links = ["category"]
    list_select_related = ["category", "agency"]


@admin.register(DeadlineSetting)
class DeadlineSettingAdmin(admin.ModelAdmin):
    list_display = ["category_or_any", "urgency", "amount", "unit"]
    list_editable = ["amount", "unit"]
    list_display_links = ["category_or_any"]
    list_filter = ["urgency", "unit", "category"]
    list_select_related = ["category"]

    @admin.display(description="lĩnh vực / category", ordering="category")
    def category_or_any(self, obj: DeadlineSetting) -> str:
        return str(obj.category) if obj.category else "Mọi lĩnh vực / any category"
