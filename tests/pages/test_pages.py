"""The pages' server side: who gets which page, the citizens' app shell, its manifest and service
worker, and the public ward map."""

from __future__ import annotations

import json

import pytest
from django.templatetags.static import static

from backend.accounts.services import user_ensure
from realtime.views import CITIZEN_SHELL_ASSETS
from routing.models import Area

pytestmark = pytest.mark.django_db


def test_the_citizens_app_is_open_to_anyone_and_carries_its_test_ids_and_manifest(client):
    # when anyone opens /app/ (the app signs in by OTP itself)
    response = client.get("/app/")
    # then the shell is served, linked to its manifest, with the stable test ids of the contract
    assert response.status_code == 200
    html = response.content.decode()
    assert '<link rel="manifest" href="/app/manifest.webmanifest">' in html
    for testid in ("otp-phone", "otp-code", "otp-submit", "report-description", "report-photos", "report-submit"):
        assert f'data-testid="{testid}"' in html
    # and no script or style comes from elsewhere
    assert "http://" not in html.replace("http://www.w3.org", "") and "https://" not in html


def test_the_manifest_makes_the_app_installable(client):
    response = client.get("/app/manifest.webmanifest")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/manifest+json"
    manifest = json.loads(response.content)
    assert set(manifest) == {
        "name", "short_name", "description", "lang", "start_url", "scope", "id", "display", "background_color",
        "theme_color", "icons",
    }
    assert (manifest["start_url"], manifest["scope"], manifest["display"], manifest["lang"]) == ("/app/", "/app/", "standalone", "vi")
    assert [(i["src"], i["sizes"]) for i in manifest["icons"]] == [
        (static("realtime/icon-192.png"), "192x192"), (static("realtime/icon-512.png"), "512x512"),
        (static("realtime/favicon.svg"), "any"),
    ]


def test_the_service_worker_is_served_from_the_apps_scope_with_its_shell_list(client):
    response = client.get("/app/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/javascript; charset=utf-8"
    assert (response["Service-Worker-Allowed"], response["Cache-Control"]) == ("/app/", "no-cache")
    first, second = response.content.decode().splitlines()[:2]
    assert first.startswith('const VERSION = "') and len(json.loads(first.split(" = ")[1].rstrip(";"))) == 16
    shell = json.loads(second.removeprefix("const SHELL = ").rstrip(";"))
    assert shell == ["/app/", "/dashboard/wards.geojson", *(static(name) for name in CITIZEN_SHELL_ASSETS)]
    # and every file of the shell exists (a missing one would make the worker's install fail)
    for name in CITIZEN_SHELL_ASSETS:
        assert client.get(static(name)).status_code == 200, name


def test_the_ward_map_is_public_geography(client):
    Area.objects.create(
        code="thu-nghiem", name="Thử Nghiệm", kind=Area.Kind.WARD, centre_lat=16.4698123, centre_lon=107.5786456,
        geometry={"type": "Polygon", "coordinates": [[[107.571234567, 16.46], [107.58, 16.46], [107.58, 16.47], [107.571234567, 16.46]]]},
    )
    # when someone who is not signed in asks for the wards (the citizen's pin map needs them)
    response = client.get("/dashboard/wards.geojson")
    # then they get them, coordinates rounded to about a metre
    assert response.status_code == 200
    body = response.json()
    assert (body["type"], len(body["features"])) == ("FeatureCollection", Area.objects.count())
    assert [f for f in body["features"] if f["properties"]["code"] == "thu-nghiem"] == [{
        "type": "Feature",
        "properties": {"code": "thu-nghiem", "name": "Thử Nghiệm", "kind": "phuong", "centre": [107.57865, 16.46981]},
        "geometry": {"type": "Polygon", "coordinates": [[[107.57123, 16.46], [107.58, 16.46], [107.58, 16.47], [107.57123, 16.46]]]},
    }]


@pytest.mark.parametrize(("path", "role"), [("/dashboard/", "citizen"), ("/agency/", "citizen"), ("/agency/", "operator")])
def test_staff_pages_refuse_whoever_is_not_theirs(client, path, role):
    user = user_ensure(username=f"someone-{role}", role=role)
    client.force_login(user)
    assert client.get(path).status_code == 403


@pytest.mark.parametrize("path", ["/dashboard/", "/agency/"])
def test_staff_pages_send_strangers_to_the_login(client, path):
    response = client.get(path)
    assert (response.status_code, response["Location"]) == (302, f"/dashboard/login/?next={path}")


def test_the_workbench_carries_its_detail_and_filters(client):
    client.force_login(user_ensure(username="ops-pages", role="operator"))
    html = client.get("/dashboard/").content.decode()
    for element in ('data-testid="report-detail"', 'id="f-q"', 'id="f-status"', 'id="f-category"', 'id="f-urgency"',
                    'id="f-area"', 'id="f-agency"', 'id="f-overdue"', 'id="photo-dialog"'):
        assert element in html
