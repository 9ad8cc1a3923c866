"""Photo decoding is bounded per process and per user."""

from __future__ import annotations

import threading

import pytest

from backend.core.decode_slots import photo_decode_slot
from backend.core.exceptions import RateLimited, Unavailable


def _hold(user_id, entered: threading.Event, release: threading.Event) -> threading.Thread:
    def run():
        with photo_decode_slot(user_id):
            entered.set()
            release.wait(10)

    thread = threading.Thread(target=run)
    thread.start()
    assert entered.wait(10)
    return thread


def test_a_process_decodes_at_most_its_share_at_once(settings):
    # given 2 slots per process and no waiting, and two decodes under way
    settings.PHOTO_DECODES_PER_PROCESS = 2
    settings.PHOTO_DECODE_WAIT_SECONDS = 0
    release = threading.Event()
    holders = [_hold(None, threading.Event(), release) for _ in range(2)]
    # when a third decode asks for a slot, then it is refused with a Retry-After
    with pytest.raises(Unavailable) as refused, photo_decode_slot(None):
        pass
    assert (refused.value.code, refused.value.retry_after) == ("photo_decoding_busy", 5)
    # and once they finish, it gets one
    release.set()
    for holder in holders:
        holder.join()
    with photo_decode_slot(None):
        pass


def test_a_user_holds_at_most_one_slot_across_requests(settings):
    settings.PHOTO_DECODES_PER_PROCESS = 4
    settings.PHOTO_DECODES_PER_USER = 1
    release = threading.Event()
    holder = _hold(7, threading.Event(), release)
    with pytest.raises(RateLimited) as refused, photo_decode_slot(7):
        pass
    assert (refused.value.code, refused.value.retry_after) == ("photo_decoding_busy", 5)
    with photo_decode_slot(8):  # someone else is not held up
        pass
    release.set()
    holder.join()
    # the refusal gave its count back: user 7 may decode again, twice in a row
    for _ in range(2):
        with photo_decode_slot(7):
            pass


def test_a_failing_decode_gives_its_slots_back(settings):
    settings.PHOTO_DECODES_PER_PROCESS = 1
    settings.PHOTO_DECODES_PER_USER = 1
    settings.PHOTO_DECODE_WAIT_SECONDS = 0
    with pytest.raises(ValueError), photo_decode_slot(7):
        raise ValueError("corrupt photo")
    with photo_decode_slot(7):
        pass


@pytest.mark.django_db(transaction=True)
def test_parallel_submissions_never_decode_more_than_the_process_share(settings, monkeypatch, make_citizen, reference_data, no_triage_model):
    # given 2 decoding slots and 6 citizens submitting a photo each at the same moment
    import time

    from django.db import connection

    from backend.reports.services import intake
    from backend.reports.services.intake import ReportInput, report_submit
    from tests.conftest import png_bytes, upload

    settings.PHOTO_DECODES_PER_PROCESS = 2
    real = intake.process_photo
    active, peak, lock = [0], [0], threading.Lock()

    def instrumented(raw, **kwargs):
        with lock:
            active[0] += 1
            peak[0] = max(peak[0], active[0])
        try:
            time.sleep(0.2)  # a long decode, so that unbounded requests would overlap
            return real(raw, **kwargs)
        finally:
            with lock:
                active[0] -= 1

    monkeypatch.setattr(intake, "process_photo", instrumented)
    citizens = [make_citizen() for _ in range(6)]
    start = threading.Barrier(6)
    outcomes = []

    def submit(user):
        try:
            start.wait()
            outcomes.append(report_submit(
                user=user, data=ReportInput(description="Ổ gà", latitude=16.47, longitude=107.6),
                photos=[upload("a.png", png_bytes(), "image/png")],
            ))
        finally:
            connection.close()

    threads = [threading.Thread(target=submit, args=(user,)) for user in citizens]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # then all six were accepted, and never more than two photos were being decoded at once
    assert len(outcomes) == 6
    assert 1 <= peak[0] <= 2


def test_a_citizen_whose_slot_is_busy_gets_429_and_nothing_is_stored(citizen_client, citizen, settings, reference_data, no_triage_model):
    from backend.reports.models import Photo, Report
    from tests.conftest import png_bytes, upload

    settings.PHOTO_DECODES_PER_USER = 1
    release = threading.Event()
    holder = _hold(citizen.pk, threading.Event(), release)  # the same citizen's other upload, mid-decode
    try:
        response = citizen_client.post(
            "/api/v1/reports/",
            {"description": "Ổ gà", "latitude": 16.47, "longitude": 107.6, "photos": [upload("a.png", png_bytes(), "image/png")]},
            format="multipart",
        )
    finally:
        release.set()
        holder.join()
    assert response.status_code == 429
    assert response.json()["error"]["code"] == "photo_decoding_busy"
    assert response["Retry-After"] == "5"
    assert (Report.objects.count(), Photo.objects.count()) == (0, 0)
