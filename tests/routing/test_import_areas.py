"""import_areas on the real file of Huế's 40 wards/communes, then routing on the real polygons."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from routing import runtime
from routing.models import Area
from tests.routing.conftest import WARDS_GEOJSON

CITADEL = (16.4698, 107.5786)
THUAN_AN_BEACH = (16.5587, 107.6427)


@pytest.fixture(autouse=True)
def _fresh_routing_tables():
    # A test's transaction rolls back without signals: never leave polygons cached for the next test.
    runtime.invalidate()
    yield
    runtime.invalidate()


def _import(path=WARDS_GEOJSON) -> str:
    out = StringIO()
    call_command("import_areas", str(path), stdout=out, stderr=StringIO(), verbosity=0)
    return out.getvalue()


@pytest.fixture
def imported(reference_data):
    output = _import()
    runtime.invalidate()
    return output


def test_first_import_creates_40_wards_and_a_second_run_changes_nothing(db):
    Area.objects.all().delete()  # given a deployment with no wards yet
    first = _import()
    assert "40 features, 40 created, 0 updated" in first
    assert Area.objects.count() == 40
    assert Area.objects.filter(geometry__isnull=True).count() == 0
    snapshot = {a.code: (a.name, a.kind, a.centre_lat, a.centre_lon, a.population) for a in Area.objects.all()}
    second = _import()
    assert "40 features, 0 created, 40 updated" in second
    assert {a.code: (a.name, a.kind, a.centre_lat, a.centre_lon, a.population) for a in Area.objects.all()} == snapshot
    phu_xuan = Area.objects.get(name="Phú Xuân")
    assert (phu_xuan.code, phu_xuan.kind) == ("phu-xuan", "phuong")
    assert Area.objects.get(name="A Lưới 1").kind == "xa"


def test_import_fills_the_reference_wards_and_routing_uses_the_polygons(imported):
    assert "40 features, 0 created, 40 updated" in imported
    assert Area.objects.count() == 40
    assert Area.objects.filter(geometry__isnull=False).count() == 40
    assert len(runtime.tables().ward_index.wards) == 40
    assert runtime.locate(*CITADEL) == "phu-xuan"
    assert runtime.locate(*THUAN_AN_BEACH) == "thuan-an"


def test_a_missing_file_is_a_clear_error(db, tmp_path):
    with pytest.raises(CommandError, match="no such file"):
        _import(tmp_path / "nope.geojson")


def test_reports_submitted_through_the_api_land_in_the_right_ward(imported, citizen_client, operator_client):
    for point, ward in [(CITADEL, "phu-xuan"), (THUAN_AN_BEACH, "thuan-an")]:
        # given a report submitted at the point
        response = citizen_client.post(
            "/api/v1/reports/",
            {"description": "Cây đổ chắn ngang đường", "latitude": str(point[0]), "longitude": str(point[1])},
            format="multipart",
        )
        assert response.status_code == 201
        assert response.json()["area"] == ward
        # when the operator confirms the triage, routing runs again on the same polygons
        routed = operator_client.post(
            f"/api/v1/ops/reports/{response.json()['id']}/triage/", {"category": "trees_parks", "urgency": "high"},
            format="json",
        ).json()
        assert (routed["area"], routed["agency"]) == (ward, "hepco")
        assert routed["area_name"]["en"] in {"Phú Xuân", "Thuận An"}
