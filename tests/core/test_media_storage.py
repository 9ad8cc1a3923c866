"""Object storage as production uses it, against a local S3-compatible server (moto, from PyPI)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

SCRIPT = r"""
import django, json
django.setup()
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
name = default_storage.save("reports/2026/12/abc123.jpg", ContentFile(b"jpeg bytes"))
client = default_storage.connection.meta.client
body = client.get_object(Bucket=default_storage.bucket_name, Key=name)["Body"].read().decode()
print(json.dumps({"name": name, "url": default_storage.url(name), "body": body}))
"""


@pytest.fixture
def s3_server():
    from moto.server import ThreadedMotoServer

    from tests.bench._server import free_port

    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    yield f"http://127.0.0.1:{port}"
    server.stop()


def _run(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True)


def test_bucket_job_and_public_photo_urls(s3_server, tmp_path):
    env = {**os.environ, "S3_BUCKET": "hue-media-test", "S3_ENDPOINT_URL": s3_server, "S3_ACCESS_KEY_ID": "test",
           "S3_SECRET_ACCESS_KEY": "test-secret", "S3_REGION": "us-east-1",
           "MEDIA_PUBLIC_URL": "https://phananh.example.vn/media/", "VAR_DIR": str(tmp_path), "ENV_FILE": "",
           "EMBEDDED_DEFAULT": "true"}
    env.pop("DATABASE_URL", None)
    # given a storage server without the bucket: the one-shot job creates it, and a second run keeps it
    first = _run(env, "manage.py", "ensure_media_bucket")
    again = _run(env, "manage.py", "ensure_media_bucket")
    assert (first.returncode, first.stdout.strip()) == (0, "bucket hue-media-test created"), first.stderr
    assert (again.returncode, again.stdout.strip()) == (0, "bucket hue-media-test exists"), again.stderr
    # when a photo is stored
    stored = _run(env, "-c", SCRIPT)
    assert stored.returncode == 0, stored.stderr
    result = json.loads(stored.stdout.strip().splitlines()[-1])
    # then it is in the bucket, and its URL is on the public address, not the storage's endpoint
    assert result == {"name": "reports/2026/12/abc123.jpg", "body": "jpeg bytes",
                      "url": "https://phananh.example.vn/media/reports/2026/12/abc123.jpg"}


def test_bucket_job_with_local_media_does_nothing(tmp_path):
    env = {**os.environ, "VAR_DIR": str(tmp_path), "ENV_FILE": "", "EMBEDDED_DEFAULT": "true"}
    for name in ("S3_BUCKET", "DATABASE_URL"):
        env.pop(name, None)
    result = _run(env, "manage.py", "ensure_media_bucket")
    assert (result.returncode, result.stdout.strip()) == (0, "media are stored on the local filesystem: no bucket to create")
