"""Fixtures for epidemic mode: an admin's client, ward polygons, a health report submitted by a citizen."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from tests.conftest import SHARED_DATA

CITADEL = ("16.4698", "107.5786")  # in Phú Xuân


@pytest.fixture
def ward_polygons(db, reference_data):
    call_command("import_areas", str(SHARED_DATA / "geo" / "hue_wards_communes_2025.geojson"), verbosity=0)


@pytest.fixture
def admin_client(reference_data, client_for):
    from tests.factories import make_staff

    return client_for(make_staff("admin-epidemic", "admin"))


@pytest.fixture
def epidemic_on(admin_client):
    response = admin_client.post("/api/v1/epidemic/mode/", {"disease": "Sốt xuất huyết", "disease_en": "Dengue fever"},
                                 format="json")
    assert response.status_code == 201, response.json()
    return response.json()


@pytest.fixture
def submit_health(citizen_client):
    def submit(text="Con tôi sốt cao, phát ban", expect=201, **fields):
        body = {"description": text, "latitude": CITADEL[0], "longitude": CITADEL[1], **fields}
        response = citizen_client.post("/api/v1/reports/", body, format="multipart")
        assert response.status_code == expect, response.json()
        return response.json()

    return submit
