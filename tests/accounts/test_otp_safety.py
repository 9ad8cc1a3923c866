"""One-time-code login cannot be turned against staff, replayed, raced or used for SMS pumping."""

from __future__ import annotations

import re
import threading

import pytest
from django.db import connection
from django.test import Client

from backend.accounts.models import DeviceToken, OtpChallenge, User

pytestmark = pytest.mark.django_db

REQUEST = "/api/v1/auth/otp/request/"
VERIFY = "/api/v1/auth/otp/verify/"


def ask(client, phone, ip="203.0.113.7"):
    return client.post(REQUEST, {"phone": phone}, content_type="application/json", REMOTE_ADDR=ip)


def verify(client, phone, code):
    return client.post(VERIFY, {"phone": phone, "code": code}, content_type="application/json")


def codes(outbox) -> list[str]:
    return [re.search(r"\b(\d{6})\b", text).group(1) for _, text in outbox]


# --- citizens only ---------------------------------------------------------------------------------


def test_a_staff_phone_gets_the_usual_answer_but_no_code_and_no_login(client, operator, _memory_sms):
    # given an operator whose account carries a phone number
    operator.phone = "+84905111222"
    operator.save()
    # when someone asks for a code for that phone
    response = ask(client, "0905111222")
    # then the answer looks like any other (no telling who is staff) but no SMS is sent
    assert (response.status_code, response.json()) == (202, {"phone": "+84905111222", "expires_in": 300})
    assert _memory_sms == []
    # and no six digits log in as the operator
    refused = verify(client, "0905111222", "123456")
    assert refused.json()["error"]["code"] == "otp_invalid"
    assert DeviceToken.objects.count() == 0


def test_a_code_sent_before_the_phone_moved_to_a_staff_account_does_not_log_in(client, operator, _memory_sms):
    # given a code sent to a citizen's phone, and then that phone set on an operator's account
    ask(client, "0905111222")
    (code,) = codes(_memory_sms)
    operator.phone = "+84905111222"
    operator.save()
    # when the right code is sent
    response = verify(client, "0905111222", code)
    # then it is refused and no token exists
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "otp_citizens_only"
    assert DeviceToken.objects.count() == 0


def test_a_deactivated_citizen_cannot_log_in_by_code(client, make_citizen, _memory_sms):
    citizen = make_citizen("+84905222333")
    citizen.is_active = False
    citizen.save()
    assert ask(client, "0905222333").status_code == 202
    assert _memory_sms == []
    assert DeviceToken.objects.count() == 0


# --- one live code per phone ---------------------------------------------------------------------


def test_a_newer_code_ends_the_older_one(client, settings, _memory_sms):
    settings.OTP_RESEND_SECONDS = 0
    ask(client, "0905123456")
    ask(client, "0905123456")
    old, new = codes(_memory_sms)
    if old == new:
        pytest.skip("the two random codes happen to be equal (1 in 10^6)")
    assert verify(client, "0905123456", old).json()["error"]["code"] == "otp_invalid"
    assert verify(client, "0905123456", new).status_code == 200


def test_using_the_newer_code_ends_the_older_one_too(client, settings, _memory_sms):
    # given two codes sent to one phone and the newer one used
    settings.OTP_RESEND_SECONDS = 0
    ask(client, "0905123456")
    ask(client, "0905123456")
    old, new = codes(_memory_sms)
    assert verify(client, "0905123456", new).status_code == 200
    # when the older code is tried afterwards
    response = verify(client, "0905123456", old)
    # then it is dead and no second token was issued
    assert response.json()["error"]["code"] == "otp_expired"
    assert DeviceToken.objects.count() == 1
    assert OtpChallenge.objects.filter(consumed_at__isnull=True).count() == 0


# --- races ---------------------------------------------------------------------------------------


def _parallel_requests(n: int, phone: str) -> list[int]:
    start = threading.Barrier(n)
    statuses: list[int] = []

    def one() -> None:
        try:
            start.wait()
            statuses.append(ask(Client(), phone).status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=one) for _ in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sorted(statuses)


@pytest.mark.django_db(transaction=True)
def test_twenty_parallel_requests_send_one_code(_memory_sms):
    # given nothing sent yet; when 20 requests for one phone arrive at once
    statuses = _parallel_requests(20, "0905123456")
    # then one SMS goes out (the resend wait holds) and the other 19 are told to wait
    assert statuses == [202] + [429] * 19
    assert len(_memory_sms) == 1
    assert OtpChallenge.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_twenty_parallel_requests_cannot_pass_the_hourly_cap(settings, _memory_sms):
    # given no resend wait and at most 3 codes per hour per phone
    settings.OTP_RESEND_SECONDS = 0
    settings.OTP_MAX_PER_HOUR = 3
    statuses = _parallel_requests(20, "0905123456")
    # then exactly 3 SMS are sent, whatever the interleaving
    assert statuses == [202] * 3 + [429] * 17
    assert len(_memory_sms) == 3
    assert OtpChallenge.objects.count() == 3


# --- SMS pumping ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "phone",
    [
        "19001234",  # Vietnamese premium-rate
        "+84 1800 1234",  # toll-free
        "+84 672 123 456",  # VoIP
        "0234 3822 222",  # landline in Huế
        "+881631234567",  # satellite (Iridium)
        "+870773123456",  # Inmarsat
        "+1 900 555 1234",  # US premium-rate
    ],
)
def test_only_ordinary_mobile_numbers_get_a_code(client, _memory_sms, phone):
    response = ask(client, phone)
    assert response.status_code == 400
    assert response.json()["error"] == {
        "code": "phone_not_mobile",
        "message": response.json()["error"]["message"],
        "fields": {"phone": ["phone_not_mobile"]},
    }
    assert _memory_sms == []
    assert OtpChallenge.objects.count() == 0


def test_one_address_asking_for_many_phones_is_limited(client, settings, _memory_sms):
    # given at most 3 code requests per hour from one address
    settings.OTP_PER_IP_PER_HOUR = 3
    phones = ["0905000001", "0905000002", "0905000003", "0905000004"]
    statuses = [ask(client, phone).status_code for phone in phones]
    refused = ask(client, "0905000005")
    # then the 4th and later are refused with a Retry-After header, and nothing is sent for them
    assert statuses == [202, 202, 202, 429]
    assert refused.status_code == 429
    assert refused.json()["error"]["code"] == "rate_limited"
    assert set(refused.json()["error"]) == {"code", "message", "fields"}
    assert 1 <= int(refused["Retry-After"]) <= 3600
    assert len(_memory_sms) == 3
    # while another address is not affected
    assert ask(client, "0905000005", ip="198.51.100.9").status_code == 202


def test_addresses_behind_the_proxy_are_told_apart(client, settings, _memory_sms):
    # given the production proxy in front (it appends the client's address to X-Forwarded-For)
    settings.TRUSTED_PROXY_COUNT = 1
    settings.OTP_PER_IP_PER_HOUR = 1
    forwarded = {"REMOTE_ADDR": "10.0.0.2", "content_type": "application/json"}
    first = client.post(REQUEST, {"phone": "0905000001"}, HTTP_X_FORWARDED_FOR="1.1.1.1, 203.0.113.7", **forwarded)
    # when the same client forges another address in front of the list
    second = client.post(REQUEST, {"phone": "0905000002"}, HTTP_X_FORWARDED_FOR="9.9.9.9, 203.0.113.7", **forwarded)
    other = client.post(REQUEST, {"phone": "0905000003"}, HTTP_X_FORWARDED_FOR="198.51.100.9", **forwarded)
    # then it is still counted as the address the proxy saw
    assert (first.status_code, second.status_code, other.status_code) == (202, 429, 202)


def test_the_city_wide_sms_budget_holds(client, settings, _memory_sms):
    # given a budget of 2 SMS per hour for the whole city
    settings.OTP_SMS_PER_HOUR = 2
    answers = [ask(client, f"090500000{i}", ip=f"198.51.100.{i}") for i in range(1, 4)]
    # then the third phone, from a third address, is refused and nothing is stored for it
    assert [a.status_code for a in answers] == [202, 202, 429]
    assert answers[2].json()["error"]["code"] == "sms_budget_exhausted"
    assert int(answers[2]["Retry-After"]) >= 1
    assert len(_memory_sms) == 2
    assert sorted(OtpChallenge.objects.values_list("phone", flat=True)) == ["+84905000001", "+84905000002"]


def test_the_resend_wait_is_also_a_retry_after_header(client, _memory_sms):
    ask(client, "0905123456")
    again = ask(client, "0905123456")
    assert again.status_code == 429
    assert 55 <= int(again["Retry-After"]) <= 60


def test_sms_limits_refuse_while_the_cache_is_down(client, monkeypatch, _memory_sms):
    # A paid SMS must not become unlimited because Redis restarted: refuse (503) and send nothing.
    import backend.core.limits as limits

    class Down:
        def __getattr__(self, name):
            def fail(*args, **kwargs):
                raise ConnectionError("redis down")

            return fail

    monkeypatch.setattr(limits, "cache", Down())
    response = ask(client, "0905123456")
    assert response.status_code == 503
    assert response.json()["error"]["code"] == "temporarily_unavailable"
    assert _memory_sms == []
    assert User.objects.count() == 0 or OtpChallenge.objects.count() == 0
