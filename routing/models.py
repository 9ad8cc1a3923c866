"""Reference data the city administers: categories, agencies, wards (areas)."""

from __future__ import annotations

from django.db import models


class Urgency(models.TextChoices):
    CRITICAL = "critical", "Khẩn cấp / Critical"
    HIGH = "high", "Cao / High"
    NORMAL = "normal", "Bình thường / Normal"
    LOW = "low", "Thấp / Low"


URGENCY_ORDER = {Urgency.CRITICAL: 0, Urgency.HIGH: 1, Urgency.NORMAL: 2, Urgency.LOW: 3}


class Category(models.Model):
    code = models.SlugField("mã / code", max_length=40, unique=True)
    name_vi = models.CharField("tên tiếng Việt / Vietnamese name", max_length=120)
    name_en = models.CharField("tên tiếng Anh / English name", max_length=120)
    description_vi = models.TextField("mô tả / description (vi)", blank=True)
    description_en = models.TextField("mô tả / description (en)", blank=True)
    position = models.PositiveSmallIntegerField("thứ tự / order", default=0)
    active = models.BooleanField("đang dùng / active", default=True)

    class Meta:
        ordering = ["position", "code"]
        verbose_name = "lĩnh vực / category"
        verbose_name_plural = "lĩnh vực / categories"

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
