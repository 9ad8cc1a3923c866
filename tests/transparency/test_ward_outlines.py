"""One public ward-outline endpoint for every page's map: /dashboard/wards.geojson (no login)."""

from __future__ import annotations

from pathlib import Path

from rest_framework.test import APIClient

from routing.models import Area

STATIC = Path(__file__).resolve().parents[2]


def test_the_outlines_are_served_to_anyone_from_one_address(reference_data):
    client = APIClient()
    response = client.get("/dashboard/wards.geojson")
    assert response.status_code == 200
    body = response.json()
    assert body["type"] == "FeatureCollection"
    assert sorted(f["properties"]["code"] for f in body["features"]) == sorted(Area.objects.values_list("code", flat=True))
    # and the second address the public page used to have is gone
    assert client.get("/public/wards.geojson").status_code == 404


def test_the_public_page_and_the_staff_pages_draw_their_maps_from_it():
    public = (STATIC / "backend/transparency/static/transparency/public.js").read_text()
    staff = (STATIC / "realtime/static/realtime/wardmap.js").read_text()
    assert '"/dashboard/wards.geojson"' in public and "/public/wards.geojson" not in public
    assert '"/dashboard/wards.geojson"' in staff
