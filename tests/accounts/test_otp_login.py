"""Citizens log in with a one-time code sent by SMS; staff with a password."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from backend.accounts.models import DeviceToken, OtpChallenge, User

REQUEST = "/api/v1/auth/otp/request/"
VERIFY = "/api/v1/auth/otp/verify/"


def sent_code(outbox) -> str:
    return re.search(r"\b(\d{6})\b", outbox[-1][1]).group(1)


@pytest.mark.parametrize(
    ("raw", "e164"),
    [("0905123456", "+84905123456"), ("+84 905 123 456", "+84905123456"), ("+33 6 12 34 56 78", "+33612345678")],
)
def test_otp_request_normalises_vietnamese_and_international_numbers(client, db, _memory_sms, raw, e164):
    response = client.post(REQUEST, {"phone": raw}, content_type="application/json")
    assert response.status_code == 202
    assert response.json() == {"phone": e164, "expires_in": 300}
    assert _memory_sms[-1][0] == e164


def test_code_is_stored_hashed_and_verify_gives_a_working_token(client, db, _memory_sms):
    client.post(REQUEST, {"phone": "0905123456"}, content_type="application/json")
    code = sent_code(_memory_sms)
    assert code not in OtpChallenge.objects.get().code_hash
    response = client.post(VERIFY, {"phone": "0905123456", "code": code}, content_type="application/json")
    assert response.status_code == 200
    body = response.json()
    assert body["role"] == "citizen"
    user = User.objects.get(phone="+84905123456")
    assert DeviceToken.objects.get(user=user).key_hash != body["token"]
    me = client.get("/api/v1/reports/mine/", HTTP_AUTHORIZATION=f"Token {body['token']}")
    assert me.status_code == 200


def test_code_cannot_be_used_twice(client, db, _memory_sms):
    client.post(REQUEST, {"phone": "0905123456"}, content_type="application/json")
    code = sent_code(_memory_sms)
    client.post(VERIFY, {"phone": "0905123456", "code": code}, content_type="application/json")
    again = client.post(VERIFY, {"phone": "0905123456", "code": code}, content_type="application/json")
    assert again.status_code == 400
    assert again.json()["error"]["code"] == "otp_expired"


def test_wrong_code_counts_attempts_and_locks_after_five(client, db, _memory_sms):
    client.post(REQUEST, {"phone": "0905123456"}, content_type="application/json")
    code = sent_code(_memory_sms)
    wrong = "000000" if code != "000000" else "111111"
    codes = [client.post(VERIFY, {"phone": "0905123456", "code": wrong}, content_type="application/json").json()["error"]["code"] for _ in range(5)]
    assert codes == ["otp_invalid"] * 5
    locked = client.post(VERIFY, {"phone": "0905123456", "code": code}, content_type="application/json")
    assert locked.status_code == 429
    assert locked.json()["error"]["code"] == "otp_too_many_attempts"
    assert User.objects.filter(phone="+84905123456").count() == 0


def test_expired_code_is_refused(client, db, _memory_sms):
    client.post(REQUEST, {"phone": "0905123456"}, content_type="application/json")
    OtpChallenge.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    response = client.post(VERIFY, {"phone": "0905123456", "code": sent_code(_memory_sms)}, content_type="application/json")
    assert response.json()["error"]["code"] == "otp_expired"
    assert DeviceToken.objects.count() == 0


def test_resend_is_limited(client, db, _memory_sms):
    client.post(REQUEST, {"phone": "0905123456"}, content_type="application/json")
    response = client.post(REQUEST, {"phone": "0905123456"}, content_type="application/json")
    assert response.status_code == 429
    assert response.json()["error"]["code"] == "otp_resend_too_soon"
    assert OtpChallenge.objects.count() == 1
    assert len(_memory_sms) == 1


def test_hourly_cap(client, db, _memory_sms, settings):
    settings.OTP_RESEND_SECONDS = 0
    codes = [client.post(REQUEST, {"phone": "0905123456"}, content_type="application/json").status_code for _ in range(6)]
    assert codes == [202] * 5 + [429]


@pytest.mark.parametrize("phone", ["12", "abc", "+84 123", ""])
def test_invalid_phone_is_refused(client, db, phone):
    response = client.post(REQUEST, {"phone": phone}, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["error"]["code"] in {"invalid_phone", "invalid"}
    assert OtpChallenge.objects.count() == 0


def test_staff_login_and_logout(client, operator):
    operator.set_password("s3cret-pass")
    operator.save()
    response = client.post("/api/v1/auth/login/", {"username": "op1", "password": "s3cret-pass"}, content_type="application/json")
    assert response.status_code == 200
    token = response.json()["token"]
    assert response.json()["role"] == "operator"
    auth = {"HTTP_AUTHORIZATION": f"Token {token}"}
    assert client.post("/api/v1/auth/logout/", **auth).status_code == 204
    assert client.get("/api/v1/reports/mine/", **auth).status_code == 401


def test_staff_login_wrong_password(client, operator):
    response = client.post("/api/v1/auth/login/", {"username": "op1", "password": "nope"}, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid_credentials"
    assert DeviceToken.objects.count() == 0
