"""Reference data the city administers: categories, agencies, wards (areas)."""

from __future__ import annotations

from django.db import models


class Urgency(models.TextChoices):
    CRITICAL = "critical", "Khẩn cấp / Critical"
    HIGH = "high", "Cao / High"
    NORMAL = "normal", "Bình thường / Normal"
    LOW = "low", "Thấp / Low"


URGENCY_ORDER = {Urgency.CRITICAL: 0, Urgency.HIGH: 1, Urgency.NORMAL: 2, Urgency.LOW: 3}
# Categories whose reports are never published by any path (DESIGN.md, "What may be published").
NEVER_PUBLISHED_CATEGORIES = ("health_epidemic", "public_security")


class Category(models.Model):
    code = models.SlugField("mã / code", max_length=40, unique=True)
    name_vi = models.CharField("tên tiếng Việt / Vietnamese name", max_length=120)
    name_en = models.CharField("tên tiếng Anh / English name", max_length=120)
    description_vi = models.TextField("mô tả / description (vi)", blank=True)
    description_en = models.TextField("mô tả / description (en)", blank=True)
    position = models.PositiveSmallIntegerField("thứ tự / order", default=0)
    active = models.BooleanField("đang dùng / active", default=True)
    # Whether reports of this category may reach the public (map, public API, Open311). Health and
    # epidemic reports name sick neighbours and public-security ones are tips about crime: the
    # database refuses to make those two publishable, whatever an admin or a data file says.
    publishable = models.BooleanField("được công khai / publishable", default=True)

    class Meta:
        ordering = ["position", "code"]
        verbose_name = "lĩnh vực / category"
        verbose_name_plural = "lĩnh vực / categories"
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(code__in=NEVER_PUBLISHED_CATEGORIES, publishable=True),
                name="restricted_categories_never_publishable",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name_vi} / {self.name_en}"


class Agency(models.Model):
    code = models.SlugField("mã / code", max_length=40, unique=True)
    name_vi = models.CharField("tên tiếng Việt / Vietnamese name", max_length=200)
    name_en = models.CharField("tên tiếng Anh / English name", max_length=200)
    short_name = models.CharField("tên viết tắt / short name", max_length=40, blank=True)
    phone = models.CharField("điện thoại / phone", max_length=40, blank=True)
    email = models.EmailField(blank=True)
    categories = models.ManyToManyField(Category, related_name="agencies", blank=True)
    # The IOC takes what no rule routes anywhere else.
    is_fallback = models.BooleanField("đơn vị dự phòng / fallback", default=False)
    active = models.BooleanField("đang hoạt động / active", default=True)

    class Meta:
        ordering = ["code"]
        verbose_name = "đơn vị xử lý / agency"
        verbose_name_plural = "đơn vị xử lý / agencies"

    def __str__(self) -> str:
        return self.name_vi


class Area(models.Model):
    class Kind(models.TextChoices):
        WARD = "phuong", "Phường / Ward"
        COMMUNE = "xa", "Xã / Commune"

    code = models.SlugField("mã / code", max_length=60, unique=True)
    name = models.CharField("tên / name", max_length=120, unique=True)
    kind = models.CharField("loại / kind", max_length=8, choices=Kind.choices)
    centre_lat = models.FloatField("vĩ độ tâm / centre latitude")
    centre_lon = models.FloatField("kinh độ tâm / centre longitude")
    population = models.PositiveIntegerField("dân số / population", null=True, blank=True)
    area_km2 = models.FloatField("diện tích km² / area km²", null=True, blank=True)
    # GeoJSON geometry in EPSG:4326; filled by import_areas (routing issue). Null: centre only.
    geometry = models.JSONField("ranh giới / boundary", null=True, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = "phường/xã / ward"
        verbose_name_plural = "phường/xã / wards"

    def __str__(self) -> str:
        prefix = "Phường" if self.kind == self.Kind.WARD else "Xã"
        return f"{prefix} {self.name}"


class RoutingRule(models.Model):
    """category x ward(s) x urgency -> agency. The first active rule by `order` wins.

    An empty category, no wards or no urgencies mean "any"; what no rule catches goes to the
    category's default agency, then to the IOC.
    """

    order = models.PositiveIntegerField("thứ tự / order", default=100, db_index=True)
    category = models.ForeignKey(
        Category, verbose_name="lĩnh vực / category", on_delete=models.CASCADE, null=True, blank=True
    )
    areas = models.ManyToManyField(Area, verbose_name="phường/xã / wards", blank=True)
    urgencies = models.JSONField("mức độ khẩn / urgencies", default=list, blank=True)
    agency = models.ForeignKey(Agency, verbose_name="đơn vị xử lý / agency", on_delete=models.CASCADE)
    active = models.BooleanField("đang dùng / active", default=True)
    note = models.CharField("ghi chú / note", max_length=200, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["order", "id"]
        verbose_name = "quy tắc điều phối / routing rule"
        verbose_name_plural = "quy tắc điều phối / routing rules"

    def __str__(self) -> str:
        return f"#{self.pk} {self.category or '*'} -> {self.agency.code}"


class CategoryDefaultAgency(models.Model):
    """The agency a category goes to when no routing rule matches."""

    category = models.OneToOneField(Category, on_delete=models.CASCADE, related_name="default_agency")
    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = "đơn vị mặc định / default agency"
        verbose_name_plural = "đơn vị mặc định / default agencies"


class DeadlineSetting(models.Model):
    class Unit(models.TextChoices):
        HOURS = "hours", "giờ (liên tục) / hours (wall clock)"
        WORKING_HOURS = "working_hours", "giờ làm việc / working hours"
        WORKING_DAYS = "working_days", "ngày làm việc / working days"

    category = models.ForeignKey(
        Category, verbose_name="lĩnh vực / category", on_delete=models.CASCADE, null=True, blank=True,
        help_text="Để trống: áp dụng cho mọi lĩnh vực / empty: any category",
    )
    urgency = models.CharField("mức độ khẩn / urgency", max_length=8, choices=Urgency.choices)
    amount = models.FloatField("thời hạn / amount")
    unit = models.CharField("đơn vị / unit", max_length=16, choices=Unit.choices)

    class Meta:
        verbose_name = "thời hạn xử lý / deadline"
        verbose_name_plural = "thời hạn xử lý / deadlines"
        constraints = [
            models.UniqueConstraint(fields=["category", "urgency"], name="one_deadline_per_category_urgency"),
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="deadline_amount_positive"),
        ]
