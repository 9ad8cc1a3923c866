"""CAP 1.2 documents (validated against the OASIS schema) and the Atom feed of active warnings."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from lxml import etree
from rest_framework.test import APIClient

from backend.alerts.models import Alert
from tests.alerts.conftest import assert_valid_cap

CAP = {"c": "urn:oasis:names:tc:emergency:cap:1.2"}
ATOM = {"a": "http://www.w3.org/2005/Atom"}


def cap_of(alert_id: int) -> etree._Element:
    response = APIClient().get(f"/api/v1/alerts/{alert_id}/cap/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/cap+xml; charset=utf-8"
    return assert_valid_cap(response.content)


def text(root, path: str) -> list[str]:
    return [e.text for e in root.findall(path, CAP)]


def test_a_ward_warning_as_cap(publish, ward_polygons):
    # given a bilingual warning for two wards
    created = publish(city_wide=None, wards=["phu-xuan", "thuan-hoa"])
    # when its CAP document is fetched, then it validates and says what CAP consumers need
    root = cap_of(created["id"])
    assert text(root, "c:identifier") == [f"hue.gov.vn.alert.{created['id']}.1"]
    assert text(root, "c:sender") == ["ioc@hue.gov.vn"]
    assert text(root, "c:status") == ["Actual"]
    assert text(root, "c:msgType") == ["Alert"]
    assert text(root, "c:scope") == ["Public"]
    assert root.find("c:references", CAP) is None
    assert text(root, "c:info/c:language") == ["vi-VN", "en-US"]
    assert text(root, "c:info/c:category") == ["Met", "Met"]
    assert text(root, "c:info/c:event") == ["Ngập lụt", "Flood"]
    assert text(root, "c:info/c:severity") == ["Severe", "Severe"]
    assert text(root, "c:info/c:headline") == ["Cảnh báo ngập sâu", "Deep flooding warning"]
    assert text(root, "c:info/c:contact") == ["0234 1022", "0234 1022"]
    assert text(root, "c:info/c:area/c:areaDesc") == ["Phường Phú Xuân, Phường Thuận Hóa", "Phú Xuân, Thuận Hóa"]
    assert text(root, "c:info[1]/c:area/c:geocode/c:value") == ["phu-xuan", "thuan-hoa"]
    polygons = text(root, "c:info[1]/c:area/c:polygon")
    assert len(polygons) >= 2
    for polygon in polygons:
        pairs = polygon.split(" ")
        assert len(pairs) >= 4 and pairs[0] == pairs[-1]
        lat, lon = map(float, pairs[0].split(","))
        assert 15.9 < lat < 16.8 and 107.0 < lon < 108.3  # latitude first, inside Huế


def test_updates_and_cancel_reference_every_earlier_issue(publish, operator_client, ward_polygons):
    created = publish(city_wide=None, geometry={"center": [107.5786, 16.4698], "radius_m": 2500})
    operator_client.patch(f"/api/v1/ops/alerts/{created['id']}/", {"severity": "Extreme"}, format="json")
    update = cap_of(created["id"])
    assert text(update, "c:msgType") == ["Update"]
    assert text(update, "c:info/c:area/c:circle") == ["16.46980,107.57860 2.500", "16.46980,107.57860 2.500"]
    [references] = text(update, "c:references")
    sent_v1 = Alert.objects.get(pk=created["id"]).revisions.get(version=1).sent_at
    assert references == f"ioc@hue.gov.vn,hue.gov.vn.alert.{created['id']}.1,{timezone.localtime(sent_v1).replace(microsecond=0).isoformat()}"
    operator_client.post(f"/api/v1/ops/alerts/{created['id']}/cancel/", {"reason": "Hết nguy hiểm"}, format="json")
    cancel = cap_of(created["id"])
    assert text(cancel, "c:msgType") == ["Cancel"]
    assert text(cancel, "c:note") == ["Hết nguy hiểm"]
    assert text(cancel, "c:identifier") == [f"hue.gov.vn.alert.{created['id']}.3"]
    assert len(text(cancel, "c:references")[0].split(" ")) == 2


def test_a_city_wide_vietnamese_only_warning_as_cap(publish, reference_data):
    created = publish(title_en="", body_en="", kind="epidemic", city_wide=True)
    root = cap_of(created["id"])
    assert text(root, "c:info/c:language") == ["vi-VN"]
    assert text(root, "c:info/c:category") == ["Health"]
    assert text(root, "c:info/c:area/c:areaDesc") == ["Toàn thành phố Huế"]
    assert root.find("c:info/c:area/c:polygon", CAP) is None


def test_a_drawn_polygon_as_cap(publish, reference_data):
    square = [[[107.57, 16.46], [107.58, 16.46], [107.58, 16.47], [107.57, 16.47], [107.57, 16.46]]]
    created = publish(city_wide=None, geometry={"type": "Polygon", "coordinates": square})
    root = cap_of(created["id"])
    assert text(root, "c:info[1]/c:area/c:polygon") == [
        "16.46000,107.57000 16.46000,107.58000 16.47000,107.58000 16.47000,107.57000 16.46000,107.57000"
    ]


def test_cap_of_an_unknown_warning_is_404(reference_data):
    assert APIClient().get("/api/v1/alerts/999/cap/").status_code == 404


def test_the_atom_feed_lists_active_warnings_with_their_cap_links(publish, operator_client, ward_polygons):
    # given an active warning, a cancelled one and a scheduled one
    active = publish(title="Ngập", title_en="Flooding", severity="Extreme")
    cancelled = publish(title="Đã huỷ")
    operator_client.post(f"/api/v1/ops/alerts/{cancelled['id']}/cancel/", {}, format="json")
    publish(title="Sau này", starts_at=(timezone.now() + timedelta(hours=1)).isoformat())
    # when an aggregator reads the feed
    response = APIClient().get("/api/v1/alerts/feed/")
    # then it is Atom with one entry, linking the warning's CAP document
    assert response.status_code == 200
    assert response["Content-Type"] == "application/atom+xml; charset=utf-8"
    root = etree.fromstring(response.content)
    assert root.tag == "{http://www.w3.org/2005/Atom}feed"
    assert root.find("a:title", ATOM).text == "Cảnh báo của thành phố Huế"
    entries = root.findall("a:entry", ATOM)
    assert len(entries) == 1
    assert entries[0].find("a:title", ATOM).text == "[Cực kỳ nghiêm trọng] Ngập"
    cap_links = [link.get("href") for link in entries[0].findall("a:link", ATOM) if link.get("type") == "application/cap+xml"]
    assert cap_links == [f"http://testserver/api/v1/alerts/{active['id']}/cap/"]
    english = etree.fromstring(APIClient().get("/api/v1/alerts/feed/", {"lang": "en"}).content)
    assert english.find("a:entry/a:title", ATOM).text == "[Extreme] Flooding"
