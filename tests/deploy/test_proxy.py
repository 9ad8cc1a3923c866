"""The proxy config itself, run: nginx (from deploy/nginx/default.conf.template) in front of a real
server and a local S3-compatible store (moto), everything on loopback.

Checks what the template promises: REST and websockets reach the app through it, photos come from the
bucket only as the answer of the app's signed URL (X-Accel-Redirect) and never by name, /metrics is
not routed, the request id is the proxy's, a client cannot forge its address, bodies above the cap
are refused by the proxy. nginx is installed by .ci/run; elsewhere the test skips without it.
"""

from __future__ import annotations

import http.client
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from email.message import Message
from pathlib import Path

import pytest

from tests.bench._server import ROOT, base_env, free_port, prepare, server_command, wait_healthy

TEMPLATE = ROOT / "deploy" / "nginx" / "default.conf.template"
PHOTO = next(iter(sorted((ROOT / ".." / "shared" / "data" / "photos").glob("*.jpg"))), None)


def _nginx() -> str:
    found = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
    if found is None:
        if os.environ.get("CI") == "true":
            pytest.fail("nginx is not installed (CI installs it: .ci/run)")
        pytest.skip("nginx not installed here")
    return found


@pytest.fixture(scope="module")
def stack() -> Iterator[dict]:
    from moto.server import ThreadedMotoServer

    nginx = _nginx()
    with tempfile.TemporaryDirectory() as var:
        s3_port, app_port, proxy_port = free_port(), free_port(), free_port()
        s3 = ThreadedMotoServer(ip_address="127.0.0.1", port=s3_port, verbose=False)
        s3.start()
        env = base_env(var, {
            "S3_BUCKET": "hue-media", "S3_ENDPOINT_URL": f"http://127.0.0.1:{s3_port}", "S3_REGION": "us-east-1",
            "S3_ACCESS_KEY_ID": "test", "S3_SECRET_ACCESS_KEY": "test-secret", "PHOTO_ACCEL_REDIRECT": "/media/",
            "BEHIND_PROXY": "true", "DJANGO_SETTINGS_MODULE": "backend.settings",
        })
        token = prepare(env)
        subprocess.run([sys.executable, str(ROOT / "manage.py"), "ensure_media_bucket"], env=env, cwd=ROOT,
                       check=True, capture_output=True)
        import boto3

        bucket = boto3.client("s3", endpoint_url=f"http://127.0.0.1:{s3_port}", region_name="us-east-1",
                              aws_access_key_id="test", aws_secret_access_key="test-secret")
        # What the compose file gives SeaweedFS: anonymous clients (only the proxy reaches the store)
        # may read objects by name.
        bucket.put_bucket_policy(Bucket="hue-media", Policy=json.dumps({"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::hue-media/*"}]}))
        command = server_command("uvicorn", app_port, 1) + ["--proxy-headers", "--forwarded-allow-ips", "127.0.0.1"]
        app = subprocess.Popen(command, env=env, cwd=ROOT)
        values = {"ASGI_UPSTREAM": f"127.0.0.1:{app_port}", "REST_UPSTREAM": f"127.0.0.1:{app_port}",
                  "MEDIA_UPSTREAM": f"127.0.0.1:{s3_port}", "S3_BUCKET": "hue-media",
                  "LISTEN_PORT": f"127.0.0.1:{proxy_port}", "SERVER_NAME": "_"}
        site = re.sub(r"\$\{([A-Z0-9_]+)\}", lambda m: values[m.group(1)], TEMPLATE.read_text())
        # nginx started as root runs its workers as nobody: they must write the upload buffers.
        os.chmod(var, 0o755)
        for temp in ("body", "proxy", "f", "u", "s"):
            (Path(var) / temp).mkdir(mode=0o777)
            os.chmod(Path(var) / temp, 0o777)
        conf = Path(var) / "nginx.conf"
        conf.write_text(
            f"daemon off; pid {var}/nginx.pid; error_log {var}/error.log; events {{}}\n"
            f"http {{ access_log off; client_body_temp_path {var}/body; proxy_temp_path {var}/proxy;\n"
            f"fastcgi_temp_path {var}/f; uwsgi_temp_path {var}/u; scgi_temp_path {var}/s;\n{site}\n}}\n"
        )
        proxy = subprocess.Popen([nginx, "-c", str(conf), "-p", var])
        try:
            wait_healthy(f"http://127.0.0.1:{app_port}", app)
            base = f"http://127.0.0.1:{proxy_port}"
            wait_healthy(base, proxy, seconds=20)
            yield {"base": base, "port": proxy_port, "token": token, "s3": bucket}
        finally:
            proxy.terminate()
            app.terminate()
            for process in (proxy, app):
                try:
                    process.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    process.kill()
            s3.stop()


def _get(url: str, headers: dict[str, str] | None = None) -> tuple[int, Message, bytes]:
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def test_rest_through_the_proxy_carries_the_proxys_request_id(stack):
    status, headers, body = _get(f"{stack['base']}/api/v1/health/ready/",
                                 {"X-Request-ID": "client-chosen-id-1234", "X-Forwarded-For": "6.6.6.6"})
    assert status == 200 and json.loads(body)["status"] == "ok"
    # the proxy's own id (nginx $request_id: 32 hex), not the one the client sent
    assert re.fullmatch(r"[0-9a-f]{32}", headers["X-Request-ID"])


def test_metrics_are_not_routed(stack):
    status, _, _ = _get(f"{stack['base']}/metrics")
    assert status == 404


def test_websockets_pass_through_the_proxy(stack):
    from websockets.sync.client import connect

    url = stack["base"].replace("http://", "ws://") + "/ws/ops/"
    with connect(url, open_timeout=15) as socket:
        socket.send(json.dumps({"type": "auth", "token": "not-a-token"}))
        with pytest.raises(Exception) as closed:
            socket.recv(timeout=15)
    # the app answered through the proxy: its own close code for a bad token
    assert getattr(closed.value, "rcvd", None) is not None and closed.value.rcvd.code == 4401


def test_photos_only_through_the_signed_url(stack):
    from backend.reports.simulator import multipart_body

    assert PHOTO is not None
    jpeg = PHOTO.read_bytes()
    body, content_type = multipart_body({"description": "Cây đổ chắn ngang đường Lê Lợi", "latitude": "16.4637",
                                         "longitude": "107.5909"}, jpeg)
    conn = http.client.HTTPConnection("127.0.0.1", stack["port"], timeout=60)
    conn.request("POST", "/api/v1/reports/", body=body, headers={
        "Authorization": f"Token {stack['token']}", "Content-Type": content_type, "Idempotency-Key": "proxy-photo-1"})
    response = conn.getresponse()
    report = json.loads(response.read())
    assert response.status == 201, report
    url = report["photos"][0]["thumbnail_url"]
    path = url[url.index("/api/v1/photos/"):]
    # when the signed URL is fetched through the proxy, the bytes come from the bucket
    status, headers, data = _get(f"{stack['base']}{path}", {"Authorization": f"Token {stack['token']}"})
    assert status == 200 and headers["Content-Type"] == "image/jpeg"
    names = [item["Key"] for item in stack["s3"].list_objects_v2(Bucket="hue-media")["Contents"]]
    stored = {name: stack["s3"].get_object(Bucket="hue-media", Key=name)["Body"].read() for name in names}
    thumbnail = next(name for name, content in stored.items() if content == data)
    assert thumbnail.startswith("reports/") and "_thumb" in thumbnail
    # and the bucket location cannot be asked for by name, nor with a forged or missing signature
    assert _get(f"{stack['base']}/media/{thumbnail}")[0] == 404
    assert _get(f"{stack['base']}/media/")[0] == 404
    assert _get(f"{stack['base']}{path.replace('&s=', '&s=0')}")[0] == 404


def test_bodies_above_the_cap_are_refused_by_the_proxy(stack):
    conn = http.client.HTTPConnection("127.0.0.1", stack["port"], timeout=60)
    conn.putrequest("POST", "/api/v1/reports/")
    conn.putheader("Content-Type", "multipart/form-data; boundary=x")
    conn.putheader("Content-Length", str(52 * 1024 * 1024))
    conn.endheaders()
    started = time.monotonic()
    response = conn.getresponse()
    assert response.status == 413
    assert time.monotonic() - started < 10  # refused on the header, before the body was sent
