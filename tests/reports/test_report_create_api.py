"""POST /api/v1/reports/: the citizen's submission, every field and every refusal."""

from __future__ import annotations

import io
import struct
import zlib

import pytest
from django.core.files.storage import default_storage
from PIL import Image

from backend.reports.models import IdempotencyKey, Photo, Report, ReportEvent
from tests.conftest import png_bytes, upload

URL = "/api/v1/reports/"
VALID = {"description": "Ổ gà lớn trên đường Lê Lợi", "latitude": "16.4637", "longitude": "107.5909"}


def stored_files() -> list[str]:
    root = default_storage.location
    import os

    return sorted(os.path.relpath(os.path.join(d, f), root) for d, _, fs in os.walk(root) for f in fs)


def assert_nothing_created() -> None:
    assert Report.objects.count() == 0
    assert Photo.objects.count() == 0
    assert ReportEvent.objects.count() == 0
    assert IdempotencyKey.objects.count() == 0
    assert stored_files() == []


@pytest.fixture(autouse=True)
def _ref(reference_data, no_triage_model):
    return reference_data


def test_valid_report_without_photos_is_created(citizen_client, citizen):
    # given a citizen and a valid report
    # when they submit it
    response = citizen_client.post(URL, {**VALID, "category": "road_damage"}, format="multipart")
    # then it is stored with the citizen's hint as category (no model here) and waits for review
    assert response.status_code == 201, response.json()
    body = response.json()
    report = Report.objects.get()
    assert body["id"] == report.id
    assert body["tracking_code"] == report.tracking_code
    assert len(body["tracking_code"]) == 9 and body["tracking_code"][4] == "-"
    assert body["status"] == "needs_review"
    assert body["status_name"] == {"vi": "Chờ kiểm duyệt", "en": "Needs review"}
    assert body["category"] == "road_damage"
    assert body["category_name"] == {"vi": "Hư hỏng đường sá", "en": "Road damage"}
    assert body["description"] == "Ổ gà lớn trên đường Lê Lợi"
    assert body["latitude"] == 16.4637 and body["longitude"] == 107.5909
    assert set(body) >= {"urgency", "triage", "area", "agency", "due_at", "photos", "created_at"}
    assert set(body["triage"]) >= {"category", "urgency", "confidence", "model_version"}
    assert body["photos"] == []
    assert report.reporter == citizen
    assert body["triage"] == {"category": None, "urgency": "normal", "confidence": None, "model_version": None, "rules": []}
    assert list(report.events.values_list("kind", "new_status")) == [
        ("submitted", "submitted"), ("triaged", "triaged"), ("routed", "needs_review")
    ]


def test_report_with_real_photo_stores_image_and_thumbnail(citizen_client, real_jpeg):
    response = citizen_client.post(
        URL, {**VALID, "photos": [upload("street.jpg", real_jpeg)]}, format="multipart"
    )
    assert response.status_code == 201, response.json()
    photo = response.json()["photos"][0]
    stored = Photo.objects.get()
    assert (photo["width"], photo["height"]) == (stored.width, stored.height)
    assert photo["url"].startswith("http://testserver/api/v1/photos/")
    assert "/image/?a=private&" in photo["url"]
    assert "/thumbnail/?a=private&" in photo["thumbnail_url"]
    assert len(stored_files()) == 2
    with default_storage.open(stored.thumbnail.name) as fh:
        thumb = Image.open(fh)
        assert max(thumb.size) <= 320


def test_client_created_at_and_anonymous_are_kept(citizen_client):
    response = citizen_client.post(
        URL, {**VALID, "anonymous": "true", "client_created_at": "2026-11-20T08:30:00+07:00"}, format="multipart"
    )
    assert response.status_code == 201
    report = Report.objects.get()
    assert report.anonymous is True
    assert report.client_created_at.isoformat() == "2026-11-20T01:30:00+00:00"


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"latitude": "16.46", "longitude": "107.59"}, "description"),
        ({**VALID, "description": "   "}, "description"),
        ({**VALID, "description": "x" * 5001}, "description"),
        ({"description": "ngập", "longitude": "107.59"}, "latitude"),
        ({**VALID, "latitude": "91"}, "latitude"),
        ({**VALID, "latitude": "-90.5"}, "latitude"),
        ({**VALID, "longitude": "180.01"}, "longitude"),
        ({**VALID, "latitude": "abc"}, "latitude"),
        ({**VALID, "longitude": "nan"}, "longitude"),
        ({**VALID, "latitude": "inf"}, "latitude"),
        ({**VALID, "category": "pothole"}, "category"),
        ({**VALID, "anonymous": "maybe"}, "anonymous"),
        ({**VALID, "client_created_at": "yesterday"}, "client_created_at"),
        ({**VALID, "client_created_at": "2099-01-01T00:00:00Z"}, "client_created_at"),
    ],
)
def test_invalid_fields_are_refused_and_nothing_is_created(citizen_client, data, field):
    response = citizen_client.post(URL, data, format="multipart")
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid"
    assert list(error["fields"]) == [field]
    assert_nothing_created()


def test_unknown_category_message_names_the_value(citizen_client):
    response = citizen_client.post(URL, {**VALID, "category": "pothole"}, format="multipart")
    assert response.json()["error"]["fields"]["category"] == ["unknown category: pothole"]


def test_error_messages_follow_accept_language(citizen_client):
    vi = citizen_client.post(URL, {"latitude": "1", "longitude": "1"}, format="multipart", HTTP_ACCEPT_LANGUAGE="vi")
    en = citizen_client.post(URL, {"latitude": "1", "longitude": "1"}, format="multipart", HTTP_ACCEPT_LANGUAGE="en")
    assert vi.json()["error"]["message"] == "Dữ liệu gửi lên không hợp lệ."
    assert en.json()["error"]["message"] == "The request data is invalid."
    assert en.json()["error"]["fields"]["description"] == ["This field is required."]
    assert vi.json()["error"]["fields"]["description"] != ["This field is required."]


def test_six_photos_are_refused(citizen_client):
    photos = [upload(f"p{i}.png", png_bytes(), "image/png") for i in range(6)]
    response = citizen_client.post(URL, {**VALID, "photos": photos}, format="multipart")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "too_many_photos"
    assert_nothing_created()


def test_five_photos_are_accepted(citizen_client):
    photos = [upload(f"p{i}.png", png_bytes(color=(i * 40, 10, 10)), "image/png") for i in range(5)]
    response = citizen_client.post(URL, {**VALID, "photos": photos}, format="multipart")
    assert response.status_code == 201
    assert Photo.objects.count() == 5
    assert len(stored_files()) == 10


def _png_header_claiming(width: int, height: int) -> bytes:
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    chunk = b"IHDR" + ihdr
    return b"\x89PNG\r\n\x1a\n" + struct.pack(">I", len(ihdr)) + chunk + struct.pack(">I", zlib.crc32(chunk))


@pytest.mark.parametrize(
    ("name", "data", "code"),
    [
        ("fake.jpg", b"this is not a jpeg at all" * 10, "photo_unsupported_format"),
        ("polyglot.gif", b"GIF89a\x01\x00\x01\x00\x00\x00\x00;<html><script>alert(1)</script></html>", "photo_unsupported_format"),
        ("huge.png", _png_header_claiming(12_000, 12_000), "photo_too_many_pixels"),
        ("empty.jpg", b"", "photo_empty"),
    ],
)
def test_bad_photos_are_refused_and_nothing_is_stored(citizen_client, real_jpeg, name, data, code):
    # given one good photo followed by a bad one
    photos = [upload("good.jpg", real_jpeg), upload(name, data)]
    response = citizen_client.post(URL, {**VALID, "photos": photos}, format="multipart")
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == code
    assert list(error["fields"]) == ["photos"]
    assert error["fields"]["photos"][0].startswith("[1] ")
    assert_nothing_created()


def test_truncated_jpeg_is_refused(citizen_client, real_jpeg):
    response = citizen_client.post(
        URL, {**VALID, "photos": [upload("cut.jpg", real_jpeg[: len(real_jpeg) // 2])]}, format="multipart"
    )
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "photo_corrupt"
    assert_nothing_created()


def test_oversized_photo_is_refused(citizen_client, settings):
    settings.PHOTO_MAX_BYTES = 1000
    response = citizen_client.post(
        URL, {**VALID, "photos": [upload("big.png", png_bytes(size=(300, 300)) + b"\0" * 2000, "image/png")]},
        format="multipart",
    )
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "photo_too_large"
    assert_nothing_created()


def test_png_with_jpg_extension_is_accepted_as_png(citizen_client):
    response = citizen_client.post(
        URL, {**VALID, "photos": [upload("wrong.jpg", png_bytes(), "image/jpeg")]}, format="multipart"
    )
    assert response.status_code == 201
    assert Photo.objects.get().content_type in {"image/jpeg", "image/png"}


def test_without_token_is_401_json(client):
    response = client.post(URL, VALID)
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "not_authenticated"


def test_revoked_or_wrong_token_is_401(citizen_client):
    citizen_client.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")
    response = citizen_client.post(URL, VALID, format="multipart")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "authentication_failed"
    assert_nothing_created()


def test_json_body_is_refused_as_unsupported_media_type(citizen_client):
    response = citizen_client.post(URL, {"description": "x", "latitude": 1, "longitude": 1}, format="json")
    assert response.status_code == 415
    assert response.json()["error"]["code"] == "unsupported_media_type"
    assert_nothing_created()


def test_storage_files_are_removed_when_the_transaction_fails(citizen_client, real_jpeg, monkeypatch):
    # given the database write fails after the photos were stored
    from backend.reports.services import intake as services

    def boom(*args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(services, "_insert_report", boom)
    with pytest.raises(RuntimeError):
        citizen_client.post(URL, {**VALID, "photos": [upload("a.jpg", real_jpeg)]}, format="multipart")
    # then no orphan file is left behind
    assert_nothing_created()


def test_stored_photo_has_no_metadata_and_gps_is_kept_privately(citizen_client, real_photo_paths):
    # given a real photo with EXIF GPS and a camera model added
    image = Image.open(real_photo_paths[3])
    exif = Image.Exif()
    exif[0x0110] = "Secret Phone Model"
    gps = exif.get_ifd(0x8825)
    gps.update({1: "N", 2: (16.0, 28.0, 11.28), 3: "E", 4: (107.0, 34.0, 42.96)})
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif)
    response = citizen_client.post(URL, {**VALID, "photos": [upload("gps.jpg", buffer.getvalue())]}, format="multipart")
    assert response.status_code == 201
    photo = Photo.objects.get()
    assert photo.gps_lat == pytest.approx(16.4698, abs=1e-6)
    assert photo.gps_lon == pytest.approx(107.5786, abs=1e-6)
    for name in (photo.image.name, photo.thumbnail.name):
        raw = default_storage.open(name).read()
        assert b"Secret Phone Model" not in raw
        assert b"Exif" not in raw
        stored = Image.open(io.BytesIO(raw))
        assert dict(stored.getexif()) == {}
    # and the GPS hint is not in the citizen-facing output
    assert "gps" not in str(response.json()).lower()


def test_body_over_the_limit_is_413_before_parsing(citizen_client, settings):
    settings.UPLOAD_MAX_BODY_BYTES = 1000
    response = citizen_client.post(URL, {**VALID, "description": "x" * 2000}, format="multipart")
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "request_too_large"
    assert_nothing_created()


def test_the_upload_cap_follows_the_photo_limit():
    # given a city that raises the photo size limit to 20 MB through the environment
    import os
    import subprocess
    import sys

    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.UPLOAD_MAX_BODY_BYTES, s.DATA_UPLOAD_MAX_MEMORY_SIZE, s.FILE_UPLOAD_MAX_MEMORY_SIZE)"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "backend.settings", "PHOTO_MAX_BYTES": str(20 * 1024 * 1024)}
    # when the settings load
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True).stdout
    # then the 413 limit and Django's own caps grow with it: 5 photos of 20 MB plus 1 MB of text
    assert out.split() == [str(5 * 20 * 1024 * 1024 + 1024 * 1024), str(5 * 20 * 1024 * 1024 + 1024 * 1024),
                           str(20 * 1024 * 1024)]
