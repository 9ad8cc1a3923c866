"""Staff passwords cannot be guessed: every login path locks after repeated failures."""

from __future__ import annotations

import threading

import pytest
from django.db import connection
from django.test import Client

from backend.accounts.models import DeviceToken

LOGIN = "/api/v1/auth/login/"
PASSWORD = "right-horse-battery"


@pytest.fixture(autouse=True)
def _fast_hasher(settings):
    # These tests check hundreds of passwords; the production hasher's cost is not what they test.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def staff(operator):
    operator.set_password(PASSWORD)
    operator.save()
    return operator


def login(client, password, ip="203.0.113.7", username="op1"):
    return client.post(
        LOGIN, {"username": username, "password": password}, content_type="application/json", REMOTE_ADDR=ip
    )


def test_thirty_wrong_passwords_then_the_right_one_does_not_log_in(client, staff):
    # when an attacker tries 30 wrong passwords from one address
    codes = [login(client, f"guess-{i}").json()["error"]["code"] for i in range(30)]
    # then the first 10 are checked and refused, the rest are refused unchecked
    assert codes == ["invalid_credentials"] * 10 + ["login_locked"] * 20
    # and the right password is refused too, with how long to wait
    right = login(client, PASSWORD)
    assert right.status_code == 429
    assert right.json()["error"]["code"] == "login_locked"
    assert set(right.json()["error"]) == {"code", "message", "fields"}
    assert 1 <= int(right["Retry-After"]) <= 900
    assert DeviceToken.objects.count() == 0


def test_guesses_spread_over_many_addresses_lock_the_username(client, staff):
    # given 20 wrong guesses, each from its own address
    for i in range(20):
        assert login(client, "wrong", ip=f"198.51.100.{i + 1}").status_code == 400
    # then the right password from yet another address is refused
    right = login(client, PASSWORD, ip="192.0.2.1")
    assert right.status_code == 429
    assert right.json()["error"]["code"] == "login_locked"
    assert DeviceToken.objects.count() == 0


def test_a_few_typos_then_the_right_password_logs_in_and_starts_afresh(client, staff, settings):
    settings.LOGIN_FAILURES_PER_USER_IP = 3
    assert [login(client, "typo").status_code for _ in range(2)] == [400, 400]
    assert login(client, PASSWORD).status_code == 200
    # the success cleared this address's count: two more typos are still checked normally
    assert [login(client, "typo").status_code for _ in range(3)] == [400, 400, 400]
    assert login(client, PASSWORD).status_code == 429


def test_the_lock_ends_with_its_window(client, staff, monkeypatch):
    import backend.core.limits as limits

    clock = [1_800_000_000.0]
    monkeypatch.setattr(limits.time, "time", lambda: clock[0])
    for _ in range(11):
        login(client, "wrong")
    assert login(client, PASSWORD).status_code == 429
    clock[0] += 3600  # every login window has ended
    assert login(client, PASSWORD).status_code == 200


@pytest.mark.django_db(transaction=True)
def test_parallel_guesses_cannot_slip_past_the_count(settings, reference_data):
    # given an operator whose password may be tried 5 times per address
    from backend.accounts.services import user_ensure

    user = user_ensure(username="op1", role="operator")
    user.set_password(PASSWORD)
    user.save()
    settings.LOGIN_FAILURES_PER_USER_IP = 5
    start = threading.Barrier(20)
    statuses: list[int] = []

    def guess(i: int) -> None:
        try:
            start.wait()
            statuses.append(login(Client(), f"guess-{i}").status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=guess, args=(i,)) for i in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # then only 5 passwords were ever checked
    assert sorted(statuses) == [400] * 5 + [429] * 15


def test_the_dashboard_login_page_is_locked_too(client, staff):
    for _ in range(10):
        login(client, "wrong")
    page = client.post("/dashboard/login/", {"username": "op1", "password": PASSWORD}, REMOTE_ADDR="203.0.113.7")
    assert page.status_code == 200  # the form again, not a redirect into the dashboard
    assert "_auth_user_id" not in client.session


def test_the_admin_login_is_locked_too(client, staff):
    staff.is_staff = True
    staff.save()
    for _ in range(10):
        login(client, "wrong")
    page = client.post("/admin/login/", {"username": "op1", "password": PASSWORD}, REMOTE_ADDR="203.0.113.7")
    assert page.status_code == 200
    assert "_auth_user_id" not in client.session
