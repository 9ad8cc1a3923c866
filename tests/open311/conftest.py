"""Fixtures of the Open311 tests: the public's client, an integration's api_key, a reporter."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from rest_framework.test import APIClient

BASE = "/open311/v2"


@pytest.fixture
def public() -> APIClient:
    return APIClient()  # Open311 clients send no Authorization header


@pytest.fixture
def partner(reference_data):
    """An integration account, as `manage.py issue_token partner-app` creates it."""
    from backend.accounts.services import user_ensure

    return user_ensure(username="partner-app", role="citizen")


@pytest.fixture
def api_key(partner) -> str:
    from backend.accounts.tokens import token_issue

    return token_issue(user=partner, device="open311")


@pytest.fixture
def reporter(reference_data, make_citizen):
    user = make_citizen("+84905777888")
    user.first_name, user.last_name = "Lan", "Nguyễn Thị"
    user.save()
    return user


def parse_xml(response) -> ET.Element:
    """The body as XML (raises on a malformed document), after checking the spec's headers."""
    assert response["Content-Type"] == "text/xml; charset=utf-8"
    assert response.content.startswith(b'<?xml version="1.0" encoding="utf-8"?>')
    return ET.fromstring(response.content)
