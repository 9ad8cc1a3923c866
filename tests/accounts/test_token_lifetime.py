"""Every token ends: staff tokens after a shift, citizens' after months without use, sessions too."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from backend.accounts.models import DeviceToken
from backend.accounts.tokens import token_issue, token_user

MINE = "/api/v1/reports/mine/"


def test_a_staff_token_ends_twelve_hours_after_login_however_much_it_is_used(operator):
    # given an operator's token used all day long
    key = token_issue(user=operator)
    issued = DeviceToken.objects.get().created_at
    for hour in range(12):
        assert token_user(key, now=issued + timedelta(hours=hour, minutes=59)) == operator
    # when the shift is over, then it no longer works
    assert token_user(key, now=issued + timedelta(hours=12, seconds=1)) is None


def test_an_expired_staff_token_is_refused_by_the_api(client, operator):
    key = token_issue(user=operator)
    DeviceToken.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    response = client.get("/api/v1/ops/reports/", HTTP_AUTHORIZATION=f"Token {key}")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "authentication_failed"


def test_a_citizen_token_lives_while_it_is_used(citizen):
    # given a citizen's token used every 60 days
    key = token_issue(user=citizen)
    issued = DeviceToken.objects.get().created_at
    for step in range(1, 6):
        assert token_user(key, now=issued + timedelta(days=60 * step)) == citizen
    # when it then lies unused for more than 90 days, then it has ended
    assert token_user(key, now=issued + timedelta(days=300 + 90, seconds=1)) is None


def test_issue_token_days_sets_an_integrations_lifetime(operator):
    out = io.StringIO()
    call_command("issue_token", "open311-partner", "--days", "30", stdout=out)
    key = out.getvalue().split()[-1]
    token = DeviceToken.objects.get(user__username="open311-partner")
    assert token.sliding is False
    assert token_user(key, now=token.created_at + timedelta(days=29)) is not None
    assert token_user(key, now=token.created_at + timedelta(days=30, seconds=1)) is None


def test_issue_token_refuses_a_non_positive_lifetime(db):
    from django.core.management import CommandError

    with pytest.raises(CommandError, match="--days must be a positive"):
        call_command("issue_token", "x", "--days", "0", stdout=io.StringIO())
    assert DeviceToken.objects.count() == 0


def test_staff_sessions_last_one_shift(settings):
    assert settings.SESSION_COOKIE_AGE == 12 * 3600


def test_logout_revokes_only_this_device(client, citizen):
    # given a citizen logged in on two phones
    phone_a, phone_b = token_issue(user=citizen, device="a"), token_issue(user=citizen, device="b")
    # when phone A logs out
    assert client.post("/api/v1/auth/logout/", HTTP_AUTHORIZATION=f"Token {phone_a}").status_code == 204
    # then A's token is dead and B's still works
    assert client.get(MINE, HTTP_AUTHORIZATION=f"Token {phone_a}").status_code == 401
    assert client.get(MINE, HTTP_AUTHORIZATION=f"Token {phone_b}").status_code == 200


def test_a_deactivated_user_is_refused_at_once(client, operator):
    key = token_issue(user=operator)
    operator.is_active = False
    operator.save()
    assert client.get("/api/v1/ops/reports/", HTTP_AUTHORIZATION=f"Token {key}").status_code == 401


def test_authenticating_is_one_probe_of_the_token_index(citizen_client):
    # given a citizen's client with a live token
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    # when it calls the API
    with CaptureQueriesContext(connection) as queries:
        response = citizen_client.get("/api/v1/reports/mine/")
    # then the token was found by its hash in one query, joined to its user, with no ORDER BY
    assert response.status_code == 200
    token_reads = [q["sql"] for q in queries.captured_queries if 'FROM "accounts_devicetoken"' in q["sql"]]
    assert len(token_reads) == 1
    assert "ORDER BY" not in token_reads[0] and '"key_hash" =' in token_reads[0]
