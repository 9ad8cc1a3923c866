"""Access logs and Django's logs carry no query secrets and no full client address."""

from __future__ import annotations

import logging

import pytest

from backend.core.log_redaction import RedactSecrets, redact_query_secrets, shorten_address


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("/open311/v2/requests.json?api_key=Abc_123-xyz&lat=16.4", "/open311/v2/requests.json?api_key=[redacted]&lat=16.4"),
        ("/ws/ops/?token=s3cr3t", "/ws/ops/?token=[redacted]"),
        ("/track/?code=HUE-2611-ABCD&lang=en", "/track/?code=[redacted]&lang=en"),
        ("/x?lat=1&TOKEN=a&phone=%2B84905123456", "/x?lat=1&TOKEN=[redacted]&phone=[redacted]"),
        ("/media/p.jpg?X-Amz-Signature=deadbeef&X-Amz-Credential=AKIA%2F", "/media/p.jpg?X-Amz-Signature=[redacted]&X-Amz-Credential=[redacted]"),
        ("/api/v1/public/reports/?category=road_damage&monkey=1", "/api/v1/public/reports/?category=road_damage&monkey=1"),
        ("/api/v1/ops/reports/?cursor=eyJ9", "/api/v1/ops/reports/?cursor=eyJ9"),
    ],
)
def test_secret_query_values_are_blanked(raw, clean):
    assert redact_query_secrets(raw) == clean


@pytest.mark.parametrize(
    ("raw", "short"),
    [
        ("203.0.113.7:51234", "203.0.113.0/24"),
        ("203.0.113.7", "203.0.113.0/24"),
        ("[2001:db8:1:2::7]:443", "2001:db8:1::/48"),
        ("GET", "GET"),
        ("1.1", "1.1"),
    ],
)
def test_client_addresses_keep_the_network_only(raw, short):
    assert shorten_address(raw) == short


def _uvicorn_access_line(logger_name: str) -> str:
    # The record exactly as uvicorn's h11 protocol writes it.
    records: list[str] = []

    class Capture(logging.Handler):
        def emit(self, record):
            records.append(record.getMessage())

    logger = logging.getLogger(logger_name)
    handler = Capture()
    logger.addHandler(handler)
    level = logger.level
    logger.setLevel(logging.INFO)  # quiet by default (backend/core/logs.py): the filter must hold when on
    try:
        logger.info('%s - "%s %s HTTP/%s" %d', "203.0.113.7:5123", "POST",
                    "/open311/v2/requests.json?api_key=k3y", "1.1", 201)
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)
    return records[0]


def test_the_servers_access_logs_are_redacted_once_the_app_is_loaded():
    import backend.asgi  # noqa: F401  (installs the filter, as uvicorn loading the app does)
    import backend.wsgi  # noqa: F401

    for name in ("uvicorn.access", "gunicorn.access"):
        assert _uvicorn_access_line(name) == '203.0.113.0/24 - "POST /open311/v2/requests.json?api_key=[redacted] HTTP/1.1" 201'


def test_djangos_own_handler_redacts_every_logger(settings):
    # Every record reaching the console handler (django.request, backend.*, realtime.*) goes through it.
    assert settings.LOGGING["handlers"]["console"]["filters"] == ["request_id", "redact"]
    record = logging.LogRecord("django.request", logging.WARNING, __file__, 1, "Forbidden: %s", ("/x?api_key=k",), None)
    assert RedactSecrets().filter(record) is True
    assert record.getMessage() == "Forbidden: /x?api_key=[redacted]"


def test_gunicorn_style_mapping_arguments_are_redacted():
    record = logging.LogRecord(
        "gunicorn.access", logging.INFO, __file__, 1, '%(h)s "%(r)s"',
        ({"h": "203.0.113.7", "r": "GET /open311/v2/requests.json?api_key=k HTTP/1.1"},), None,
    )
    RedactSecrets().filter(record)
    assert record.getMessage() == '203.0.113.0/24 "GET /open311/v2/requests.json?api_key=[redacted] HTTP/1.1"'
