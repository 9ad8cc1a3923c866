"""/open311/discovery.json and .xml: where the GeoReport v2 endpoint is and what it speaks."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from rest_framework.test import APIClient


def test_discovery_json(reference_data):
    response = APIClient().get("/open311/discovery.json")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    body = response.json()
    assert set(body) == {"changeset", "contact", "key_service", "endpoints"}
    assert body["contact"] == "Huế Intelligent Operations Centre (IOC), hotline 0234 1022"
    assert body["endpoints"] == [{
        "specification": "http://wiki.open311.org/GeoReport_v2", "url": "http://testserver/open311/v2",
        "changeset": body["changeset"], "type": "production", "formats": ["text/xml", "application/json"],
    }]


def test_discovery_xml(reference_data):
    response = APIClient().get("/open311/discovery.xml")
    assert response.status_code == 200
    root = ET.fromstring(response.content)
    assert root.tag == "discovery"
    endpoint = root.find("endpoints/endpoint")
    assert endpoint.findtext("specification") == "http://wiki.open311.org/GeoReport_v2"
    assert endpoint.findtext("url") == "http://testserver/open311/v2"
    assert [f.text for f in endpoint.findall("formats/format")] == ["text/xml", "application/json"]
    # and the endpoint it names answers
    assert APIClient().get("/open311/v2/services.json").status_code == 200
