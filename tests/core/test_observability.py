"""Health (liveness, readiness, engines), /metrics access and content, request ids and JSON logs."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_health_names_the_engines_it_found(client, db):
    body = client.get("/api/v1/health/").json()
    expected_db = "postgresql" if os.environ.get("DATABASE_URL", "").startswith("postgres") else "sqlite"
    on_redis = bool(os.environ.get("REDIS_URL"))
    assert set(body) == {"status", "database", "channel_layer", "cache", "storage", "model_version", "engines"}
    assert (body["status"], body["database"], body["channel_layer"], body["cache"], body["storage"]) == ("ok",) * 5
    assert body["engines"] == {
        "database": expected_db,
        "database_pool": "psycopg" if expected_db == "postgresql" else "none",
        "channel_layer": "redis" if on_redis else "in_memory",
        "cache": "redis" if on_redis else "local_memory",
        "storage": "filesystem",
    }


def test_liveness_checks_nothing_but_the_process(client, db, monkeypatch):
    from backend.core import health

    # given a database that does not answer
    monkeypatch.setattr(health, "database_ok", lambda: False)
    # then the process is alive but not ready
    live = client.get("/api/v1/health/live/")
    ready = client.get("/api/v1/health/ready/")
    assert (live.status_code, live.json()) == (200, {"status": "ok"})
    assert ready.status_code == 503
    assert ready.json() == {"status": "unavailable", "database": "unavailable", "channel_layer": "ok",
                            "cache": "ok", "storage": "ok"}


def test_readiness_when_everything_answers(client, db):
    response = client.get("/api/v1/health/ready/")
    assert (response.status_code, response.json()) == (
        200, {"status": "ok", "database": "ok", "channel_layer": "ok", "cache": "ok", "storage": "ok"})


def test_metrics_without_token_answer_only_loopback(client, db, settings):
    settings.METRICS_TOKEN = ""
    client.get("/api/v1/health/live/")
    # given a client on loopback and one elsewhere
    local = client.get("/metrics")
    remote = client.get("/metrics", REMOTE_ADDR="203.0.113.7")
    # then only the local one reads them
    assert remote.status_code == 403
    assert remote.json()["error"]["code"] == "permission_denied"
    assert local.status_code == 200
    text = local.content.decode()
    assert 'hue_http_requests_total{method="GET",route="api/v1/health/live/",status="200"}' in text
    assert "hue_http_request_duration_seconds_bucket" in text
    assert "hue_events_logged_total" in text


def test_metrics_with_a_token_need_it_even_on_loopback(client, db, settings):
    settings.METRICS_TOKEN = "s3cret-scrape-token"
    missing = client.get("/metrics")
    wrong = client.get("/metrics", HTTP_AUTHORIZATION="Bearer nope")
    right = client.get("/metrics", HTTP_AUTHORIZATION="Bearer s3cret-scrape-token", REMOTE_ADDR="10.0.0.9")
    assert (missing.status_code, wrong.status_code, right.status_code) == (401, 401, 200)
    assert missing["WWW-Authenticate"] == 'Bearer realm="metrics"'


def test_reports_created_are_counted_by_category_and_urgency(citizen_client, fake_triage, reference_data):
    from prometheus_client import REGISTRY

    def count() -> float:
        return REGISTRY.get_sample_value("hue_reports_created_total", {"category": "road_damage", "urgency": "high"}) or 0.0

    fake_triage("road_damage", "high")
    before = count()
    timed_before = REGISTRY.get_sample_value("hue_triage_duration_seconds_count") or 0.0
    response = citizen_client.post("/api/v1/reports/", {"description": "Ổ gà rất sâu giữa đường Lê Lợi",
                                                        "latitude": "16.4637", "longitude": "107.5909"})
    assert response.status_code == 201
    assert count() == before + 1
    assert REGISTRY.get_sample_value("hue_triage_duration_seconds_count") == timed_before + 1


async def test_open_websockets_are_counted_per_stream_until_they_close():
    from prometheus_client import REGISTRY

    from backend.core.metrics import count_websockets

    def open_sockets() -> float:
        return REGISTRY.get_sample_value("hue_websockets_connected", {"stream": "ops"}) or 0.0

    seen: list[float] = []

    async def consumer(scope, receive, send):
        await send({"type": "websocket.accept"})
        seen.append(open_sockets())  # while the socket is open
        await send({"type": "websocket.close"})

    async def refused(scope, receive, send):
        await send({"type": "websocket.close", "code": 4401})

    async def send(message):
        pass

    before = open_sockets()
    await count_websockets(consumer)({"type": "websocket", "path": "/ws/ops/"}, None, send)
    await count_websockets(refused)({"type": "websocket", "path": "/ws/ops/"}, None, send)
    # counted while open, not after it closed, and a socket refused before accept never counted
    assert seen == [before + 1]
    assert open_sockets() == before


def test_request_id_is_returned_and_a_bad_one_replaced(client, db):
    given = client.get("/api/v1/health/live/", HTTP_X_REQUEST_ID="req-0123456789abcdef")
    fresh = client.get("/api/v1/health/live/", HTTP_X_REQUEST_ID="bad id\nwith newline")
    assert given["X-Request-ID"] == "req-0123456789abcdef"
    assert len(fresh["X-Request-ID"]) == 32 and "\n" not in fresh["X-Request-ID"]


def test_websocket_stream_label_has_no_ids():
    from backend.core.metrics import websocket_stream

    assert [websocket_stream(p) for p in ("/ws/ops/", "/ws/reports/123/", "/ws/agency/", "/elsewhere/")] == [
        "ops", "reports", "agency", "other"]


SCRIPT = r"""
import django, logging
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
from django.test import Client
c = Client()
c.get("/api/v1/health/", HTTP_X_REQUEST_ID="trace-health-0001")
c.post("/api/v1/auth/otp/request/", {"phone": "0905123456"}, content_type="application/json",
       HTTP_X_REQUEST_ID="trace-otp-0002")
c.get("/api/v1/nope/", HTTP_X_REQUEST_ID="trace-404-0003")
"""


def test_json_logs_one_object_per_line_with_request_id_and_no_personal_data(tmp_path):
    env = {**os.environ, "LOG_FORMAT": "json", "LOG_LEVEL": "INFO", "VAR_DIR": str(tmp_path),
           "DJANGO_SETTINGS_MODULE": "backend.settings", "SMS_SENDER": "backend.accounts.sms.MemorySmsSender",
           "EMBEDDED_DEFAULT": "true"}
    env.pop("DATABASE_URL", None)
    result = subprocess.run([sys.executable, "-c", SCRIPT], cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    records = [json.loads(line) for line in lines]  # every line is one JSON object
    assert all({"time", "level", "logger", "message", "request_id"} <= set(r) for r in records)
    access = [r for r in records if r["logger"] == "backend.access"]
    assert [(r["request_id"], r["route"], r["status"]) for r in access] == [
        ("trace-health-0001", "api/v1/health/", 200), ("trace-otp-0002", "api/v1/auth/otp/request/", 202),
        ("trace-404-0003", "<unmatched>", 404)]
    # Django's own line about the 404, written after the middleware returned, carries the id too
    assert [r["request_id"] for r in records if r["logger"] == "django.request"] == ["trace-404-0003"]
    # lines written inside a request (the triage model loading during the health check) carry its id
    assert any(r["logger"] == "triage" and r["request_id"] == "trace-health-0001" for r in records)
    assert "905123456" not in result.stderr
