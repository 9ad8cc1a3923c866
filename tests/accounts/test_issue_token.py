from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

from backend.accounts.models import User


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("issue_token", *args, stdout=out)
    return out.getvalue()


def test_creates_agency_user_and_prints_token_last(client, reference_data):
    output = run("hepco-anh", "--role", "agency", "--agency", "hepco")
    token = output.split()[-1]
    user = User.objects.get(username="hepco-anh")
    assert (user.role, user.agency.code) == ("agency", "hepco")
    assert client.get("/api/v1/reports/mine/", HTTP_AUTHORIZATION=f"Token {token}").status_code == 200


def test_second_call_reuses_user_and_issues_a_new_token(reference_data):
    first = run("op-lan", "--role", "operator").split()[-1]
    second = run("op-lan", "--role", "operator").split()[-1]
    assert first != second
    assert User.objects.filter(username="op-lan").count() == 1
    assert User.objects.get(username="op-lan").is_staff is True


def test_agency_role_needs_a_known_agency(reference_data):
    with pytest.raises(CommandError, match="unknown agency 'nope'"):
        run("x", "--role", "agency", "--agency", "nope")
    with pytest.raises(CommandError, match="--agency CODE is required"):
        run("y", "--role", "agency")
    assert User.objects.count() == 0
