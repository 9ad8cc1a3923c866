"""The production SMS gateway (HttpSmsSender) against a local HTTP server, and the refusal of the log sender."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
OTP_REQUEST = "/api/v1/auth/otp/request/"


class Gateway:
    """A loopback SMS gateway that records what it receives and answers with a chosen status."""

    def __init__(self) -> None:
        self.received: list[dict] = []
        self.status = 200
        gateway = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 (http.server's name)
                body = self.rfile.read(int(self.headers["Content-Length"]))
                gateway.received.append({"path": self.path, "auth": self.headers["Authorization"],
                                         "type": self.headers["Content-Type"], "body": json.loads(body)})
                self.send_response(gateway.status)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"{}")

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/v1/sms"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


@pytest.fixture
def gateway(settings):
    gw = Gateway()
    settings.SMS_SENDER = "backend.accounts.sms.HttpSmsSender"
    settings.SMS_HTTP_URL = gw.url
    settings.SMS_HTTP_TOKEN = "gateway-token-1"
    settings.SMS_HTTP_SENDER = "HUE-S"
    yield gw
    gw.server.shutdown()
    gw.server.server_close()


def test_otp_code_is_posted_to_the_gateway(client, db, gateway):
    # given a configured HTTP gateway
    # when a citizen asks for a code
    response = client.post(OTP_REQUEST, {"phone": "0905123456"}, content_type="application/json")
    # then the gateway received one JSON message for the E.164 number, with the bearer token
    assert response.status_code in (200, 201, 202)
    assert len(gateway.received) == 1
    message = gateway.received[0]
    assert (message["path"], message["auth"], message["type"]) == ("/v1/sms", "Bearer gateway-token-1", "application/json")
    assert set(message["body"]) == {"to", "text", "sender"}
    assert (message["body"]["to"], message["body"]["sender"]) == ("+84905123456", "HUE-S")
    assert message["body"]["text"].startswith("Ma xac thuc Hue-S cua ban: ")


def test_gateway_refusal_is_a_503_error_without_personal_data_in_the_log(client, db, gateway, caplog):
    # given a gateway that fails
    gateway.status = 500
    # when a citizen asks for a code
    response = client.post(OTP_REQUEST, {"phone": "0905123456"}, content_type="application/json")
    # then the app answers 503 in the error shape, and the log names neither the phone nor the text
    assert response.status_code == 503
    assert response.json()["error"]["code"] == "sms_unavailable"
    assert "0905123456" not in caplog.text and "84905123456" not in caplog.text
    assert "Ma xac thuc" not in caplog.text


def test_unreachable_gateway_is_a_503(client, db, settings):
    from tests.bench._server import free_port

    settings.SMS_SENDER = "backend.accounts.sms.HttpSmsSender"
    settings.SMS_HTTP_URL = f"http://127.0.0.1:{free_port()}/sms"  # nothing listens there
    settings.SMS_HTTP_TIMEOUT = 2.0
    response = client.post(OTP_REQUEST, {"phone": "0905123456"}, content_type="application/json")
    assert response.status_code == 503
    assert response.json()["error"]["code"] == "sms_unavailable"


def _production_check(**extra: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items()
           if k not in {"EMBEDDED_DEFAULT", "DJANGO_DEBUG", "SMS_SENDER", "SMS_HTTP_URL", "SMS_HTTP_TOKEN"}}
    env.update({"ENV_FILE": "", "DJANGO_SECRET_KEY": "k" * 50}, **extra)
    return subprocess.run([sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True)


def test_production_refuses_to_start_with_the_log_sender():
    result = _production_check(SMS_SENDER="backend.accounts.sms.LogSmsSender")
    assert result.returncode != 0
    assert "SMS_SENDER: production needs an SMS gateway" in result.stderr


def test_production_refuses_the_http_sender_without_its_url_and_token():
    result = _production_check(SMS_SENDER="backend.accounts.sms.HttpSmsSender")
    assert result.returncode != 0
    assert "HttpSmsSender needs SMS_HTTP_URL and SMS_HTTP_TOKEN" in result.stderr


def test_production_starts_with_the_http_sender_configured():
    result = _production_check(SMS_SENDER="backend.accounts.sms.HttpSmsSender",
                               SMS_HTTP_URL="https://sms.example.vn/v1/send", SMS_HTTP_TOKEN="t")
    assert result.returncode == 0, result.stderr
