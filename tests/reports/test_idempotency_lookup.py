"""The replay lookup is one statement on the unique (user, key) index, with no ORDER BY or LIMIT."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from backend.reports.models import IdempotencyKey
from backend.reports.selectors.idempotency import idempotency_key_find
from tests.factories import make_report


@pytest.fixture
def stored(reference_data, make_citizen):
    citizen = make_citizen("+84905777222")
    report = make_report(citizen)
    return IdempotencyKey.objects.create(user=citizen, key="k-1", request_hash="h" * 64, report=report)


def test_finds_the_key_with_its_report_in_one_statement(stored):
    # when the key is looked up
    with CaptureQueriesContext(connection) as queries:
        found = idempotency_key_find(user_id=stored.user_id, key="k-1")
        report_code = found.report.tracking_code if found else None
    # then one statement found it and its report, without ordering or limiting
    assert (found.pk if found else None, report_code) == (stored.pk, stored.report.tracking_code)
    assert len(queries.captured_queries) == 1
    sql = queries.captured_queries[0]["sql"].upper()
    assert "ORDER BY" not in sql and "LIMIT" not in sql


def test_another_users_key_an_unknown_key_and_an_expired_key_find_nothing(stored, make_citizen):
    other = make_citizen("+84905777333")
    assert idempotency_key_find(user_id=other.pk, key="k-1") is None
    assert idempotency_key_find(user_id=stored.user_id, key="k-2") is None
    # a key older than the expiry window is not found; within it, it is
    assert idempotency_key_find(user_id=stored.user_id, key="k-1", since=timezone.now() + timedelta(seconds=1)) is None
    assert idempotency_key_find(user_id=stored.user_id, key="k-1", since=timezone.now() - timedelta(days=1)) == stored
