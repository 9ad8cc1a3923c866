"""Health, OpenAPI schema, docs, reference lists, settings."""

from __future__ import annotations

import pytest


def test_schema_documents_the_contract_paths(client, db):
    response = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    for path in ["/api/v1/reports/", "/api/v1/reports/mine/", "/api/v1/reports/{report_id}/", "/api/v1/health/",
                 "/api/v1/auth/otp/request/", "/api/v1/auth/otp/verify/", "/api/v1/auth/login/", "/api/v1/agencies/",
                 "/api/v1/public/reports/", "/api/v1/public/reports/{report_id}/", "/api/v1/public/stats/",
                 "/open311/v2/services.{response_format}", "/open311/v2/services/{service_code}.{response_format}",
                 "/open311/v2/requests.{response_format}",
                 "/open311/v2/requests/{service_request_id}.{response_format}",
                 "/open311/v2/tokens/{token}.{response_format}"]:
        assert path in paths, path


def test_docs_use_local_assets(client, db):
    html = client.get("/api/docs/").content.decode()
    assert "cdn" not in html.lower()
    assert "/static/drf_spectacular_sidecar/" in html


def test_reference_data_is_loaded_idempotently(db):
    from routing.models import Agency, Area, Category
    from routing.services import reference_data_load

    # given an empty database
    Category.objects.all().delete()
    Agency.objects.all().delete()
    Area.objects.all().delete()
    # when the reference data is loaded twice
    first = reference_data_load()
    again = reference_data_load()
    # then the second load creates nothing
    assert (first.categories, first.agencies, first.areas, first.created) == (15, 10, 40, 65)
    assert (again.categories, again.agencies, again.areas, again.created) == (15, 10, 40, 0)


def test_agencies_list_is_public_and_bilingual(client, reference_data):
    body = client.get("/api/v1/agencies/").json()
    hepco = next(a for a in body if a["code"] == "hepco")
    assert hepco["name_vi"] == "Công ty Cổ phần Môi trường và Công trình đô thị Huế"
    assert "environment" in hepco["categories"]
    assert [a["code"] for a in body if a["is_fallback"]] == ["ioc"]


def test_unknown_api_path_is_json_404(client, db):
    response = client.get("/api/v1/nope/")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


@pytest.mark.parametrize(("raw", "expected"), [("true", True), ("0", False), ("", False)])
def test_env_bool(monkeypatch, raw, expected):
    from backend.settings import env_bool

    monkeypatch.setenv("X_FLAG", raw)
    assert env_bool("X_FLAG") is expected


def test_env_bool_fails_loudly(monkeypatch):
    from django.core.exceptions import ImproperlyConfigured

    from backend.settings import env_bool

    monkeypatch.setenv("X_FLAG", "sure")
    with pytest.raises(ImproperlyConfigured):
        env_bool("X_FLAG")


def test_production_refuses_to_start_without_a_secret_key():
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if k not in {"EMBEDDED_DEFAULT", "DJANGO_SECRET_KEY", "DJANGO_DEBUG"}}
    env["ENV_FILE"] = ""  # no local env file of a developer's checkout, as on a server
    result = subprocess.run(
        [sys.executable, "-c", "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='backend.settings'; django.setup()"],
        env=env, capture_output=True, text=True,
    )
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr


def test_suite_runs_on_the_database_the_environment_names(db):
    # CI runs the suite twice; the PostgreSQL run must really be on PostgreSQL, never silently on SQLite.
    import os

    from django.db import connection

    expected = "postgresql" if os.environ.get("DATABASE_URL", "").startswith("postgres") else "sqlite"
    assert connection.vendor == expected


def test_openapi_schema_generates_without_warnings(db):
    # A warning from drf-spectacular means a wrong schema (e.g. two components under one name).
    import io

    from django.core.management import call_command

    call_command("spectacular", "--validate", "--fail-on-warn", "--file", "/dev/null", stdout=io.StringIO())
