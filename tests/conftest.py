"""Fixtures shared by the whole suite: reference data, users with tokens, an API client per role."""

from __future__ import annotations

import io
import os
import shutil
from pathlib import Path

import pytest
from PIL import Image
from rest_framework.test import APIClient

SHARED_DATA = Path(os.environ.get("SHARED_DATA_DIR", Path(__file__).resolve().parents[1] / ".." / "shared" / "data"))
PHOTOS_DIR = SHARED_DATA / "photos"


def pytest_configure(config: pytest.Config) -> None:
    # In CI a missing service must fail the run, never be skipped silently.
    if os.environ.get("CI") == "true" and not SHARED_DATA.exists():
        raise pytest.UsageError(f"shared data not found at {SHARED_DATA}")


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    yield
    shutil.rmtree(tmp_path / "media", ignore_errors=True)


@pytest.fixture(autouse=True)
def _fresh_routing_tables():
    # The per-process routing tables hear of saves, not of a test's rolled-back transaction.
    from routing import runtime

    runtime.invalidate()
    yield
    runtime.invalidate()


@pytest.fixture(autouse=True)
def _fresh_epidemic_mode():
    # The intake's per-process copy of epidemic mode hears of saves, not of a rolled-back transaction.
    from backend.epidemic.selectors import forget_current_mode

    forget_current_mode()
    yield
    forget_current_mode()


@pytest.fixture(autouse=True)
def _fresh_limits(settings):
    # Abuse-limit counters live in the cache (Redis when REDIS_URL is set): a key prefix of its own
    # gives every test empty counters without flushing a database others may be using.
    import uuid

    settings.CACHES = {
        name: {**config, "KEY_PREFIX": f"test-{uuid.uuid4().hex[:12]}"} for name, config in settings.CACHES.items()
    }


@pytest.fixture(autouse=True)
def _memory_sms(settings):
    from backend.accounts.sms import MemorySmsSender

    settings.SMS_SENDER = "backend.accounts.sms.MemorySmsSender"
    MemorySmsSender.outbox.clear()
    yield MemorySmsSender.outbox


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    # Reference data is loaded once per test database instead of once per test (it is most of a
    # small test's cost); the function fixture below reloads it after a transactional test flushed it.
    from routing.services import reference_data_load

    with django_db_blocker.unblock():
        reference_data_load()


@pytest.fixture
def reference_data(db):
    from routing.models import Area, Category
    from routing.services import ReferenceCounts, reference_data_load

    if Category.objects.exists():
        return ReferenceCounts(categories=Category.objects.count(), agencies=0, areas=Area.objects.count(), created=0)
    return reference_data_load()


def _client_for(user) -> APIClient:
    from backend.accounts.tokens import token_issue

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token_issue(user=user)}")
    client.user = user  # type: ignore[attr-defined]
    return client


@pytest.fixture
def make_citizen(db):
    from backend.accounts.models import Role, User

    counter = iter(range(1, 10_000))

    def make(phone: str | None = None) -> User:
        phone = phone or f"+8490500{next(counter):04d}"
        return User.objects.create(username=f"citizen:{phone}", phone=phone, role=Role.CITIZEN)

    return make


@pytest.fixture
def citizen(make_citizen):
    return make_citizen("+84905123456")


@pytest.fixture
def citizen_client(citizen) -> APIClient:
    return _client_for(citizen)


@pytest.fixture
def other_citizen_client(make_citizen) -> APIClient:
    return _client_for(make_citizen("+84914999888"))


@pytest.fixture
def operator(db, reference_data):
    from backend.accounts.services import user_ensure

    return user_ensure(username="op1", role="operator")


@pytest.fixture
def operator_client(operator) -> APIClient:
    return _client_for(operator)


@pytest.fixture
def client_for():
    return _client_for


@pytest.fixture
def real_photo_paths() -> list[Path]:
    paths = sorted(PHOTOS_DIR.glob("*.jpg"))
    assert paths, f"no photos in {PHOTOS_DIR}"
    return paths


@pytest.fixture
def real_jpeg(real_photo_paths) -> bytes:
    return real_photo_paths[0].read_bytes()


def upload(name: str, data: bytes, content_type: str = "image/jpeg"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data, content_type=content_type)


def png_bytes(size=(64, 48), color=(200, 30, 30)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, "PNG")
    return buffer.getvalue()


@pytest.fixture
def no_triage_model(monkeypatch):
    """Classification as it runs with no usable model: everything goes to human review."""
    import triage
    from triage.predict import Predictor

    monkeypatch.setattr(triage, "_get_predictor", lambda: Predictor(None, None))


@pytest.fixture
def fake_triage(monkeypatch):
    """Make the model answer `set(category, urgency, confidence)`; for wiring tests."""
    import triage
    from triage import TriageResult
    from triage.predict import review_reasons

    answer = {"category": "other", "urgency": "normal", "confidence": 0.95, "rules": ()}

    def classify(text, photos=None, *, review_threshold=None):
        critical = answer["urgency"] == "critical"
        return TriageResult(
            category=answer["category"], urgency=answer["urgency"], confidence=answer["confidence"],
            category_scores={answer["category"]: answer["confidence"]}, urgency_scores={answer["urgency"]: 1.0},
            model_version="test-model", rules_fired=tuple(answer["rules"]),
            review_reasons=review_reasons(
                has_model=True, has_text=bool(text.strip()), critical=critical,
                confident=answer["confidence"] >= (0.6 if review_threshold is None else review_threshold),
            ),
            alert=critical,
        )

    monkeypatch.setattr(triage, "classify", classify)

    def set_answer(category: str, urgency: str = "normal", confidence: float = 0.95, rules=()) -> None:
        answer.update(category=category, urgency=urgency, confidence=confidence, rules=rules)

    return set_answer
