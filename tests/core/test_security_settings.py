"""Production settings are safe by default; every page carries a strict Content-Security-Policy."""

from __future__ import annotations

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _production_env(**extra: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key not in {"EMBEDDED_DEFAULT", "DJANGO_DEBUG"}}
    env.update(
        ENV_FILE="", DJANGO_SECRET_KEY=secrets.token_urlsafe(50), SMS_SENDER="backend.accounts.sms.HttpSmsSender",
        SMS_HTTP_URL="https://sms.example.invalid/send", SMS_HTTP_TOKEN="t",
    )
    env.update(extra)
    return env


def test_production_settings_pass_check_deploy_with_no_warning():
    # given production as deployed: no DEBUG, no embedded default, a real secret key, nothing else
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT, env=_production_env(), capture_output=True, text=True,
    )
    # then Django's deployment checklist finds nothing
    assert result.returncode == 0, result.stderr + result.stdout
    assert "System check identified no issues" in result.stdout


def test_production_defaults_are_secure_cookies_hsts_and_https():
    code = (
        "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='backend.settings'; django.setup();"
        "from django.conf import settings as s;"
        "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS,"
        " s.SECURE_HSTS_INCLUDE_SUBDOMAINS, s.SESSION_COOKIE_HTTPONLY, s.SECURE_REDIRECT_EXEMPT)"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=_production_env(), capture_output=True, text=True)
    assert result.stdout.strip() == "True True True 31536000 True True ['^api/v1/health/', '^metrics$']"


def test_the_embedded_default_stays_plain_http(settings):
    # `make run` on a laptop has no TLS: no redirect, no HSTS pinning localhost.
    assert (settings.SECURE_SSL_REDIRECT, settings.SECURE_HSTS_SECONDS, settings.SESSION_COOKIE_SECURE) == (False, 0, False)


POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; connect-src 'self'; "
    "font-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
)


@pytest.fixture
def staff_session(client, operator):
    client.force_login(operator)
    return client


@pytest.mark.parametrize("path", ["/dashboard/login/", "/dashboard/", "/admin/", "/api/docs/", "/api/v1/health/"])
def test_pages_send_the_policy(staff_session, path):
    response = staff_session.get(path)
    assert response.status_code == 200
    assert response["Content-Security-Policy"] == POLICY


def test_the_agency_board_sends_the_policy(client, reference_data):
    from backend.accounts.services import user_ensure

    client.force_login(user_ensure(username="hepco-1", role="agency", agency_code="hepco"))
    response = client.get("/agency/")
    assert response.status_code == 200
    assert response["Content-Security-Policy"] == POLICY


@pytest.mark.parametrize("path", ["/dashboard/login/", "/dashboard/", "/admin/", "/api/docs/"])
def test_staff_pages_run_no_inline_script(staff_session, path):
    # An inline <script> would be blocked by the policy: every script is a file, or JSON data.
    html = staff_session.get(path).content.decode()
    scripts = re.findall(r"<script\b([^>]*)>", html)
    assert scripts
    inline = [attrs for attrs in scripts if "src=" not in attrs and 'type="application/json"' not in attrs]
    assert inline == []
    assert "<style" not in html


def test_the_docs_script_is_served_as_a_file(client, db):
    response = client.get("/api/docs/?script=")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/javascript")
    assert "SwaggerUIBundle" in response.content.decode()


def test_photos_from_object_storage_are_allowed(settings):
    from backend.core.csp import build_policy

    settings.CSP_MEDIA_ORIGIN = "https://hue-media.s3.ap-southeast-1.amazonaws.com/some/prefix"
    assert "img-src 'self' data: blob: https://hue-media.s3.ap-southeast-1.amazonaws.com;" in build_policy()


def test_production_refuses_the_sms_sender_that_logs_codes():
    # The log sender writes "SMS to +84905…: Ma xac thuc … 123456" into the server log.
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT,
        env=_production_env(SMS_SENDER="backend.accounts.sms.LogSmsSender"), capture_output=True, text=True,
    )
    assert result.returncode != 0
    assert "SMS_SENDER: production needs an SMS gateway" in result.stderr
