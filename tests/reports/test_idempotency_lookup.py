"""The replay lookup is one statement on the unique (user, key) index, with no ORDER BY, LIMIT or join."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from backend.reports.models import IdempotencyKey
from backend.reports.selectors.idempotency import StoredKey, idempotency_key_find
from tests.factories import make_report


@pytest.fixture
def stored(reference_data, make_citizen):
    citizen = make_citizen("+84905777222")
    report = make_report(citizen)
    return IdempotencyKey.objects.create(user=citizen, key="k-1", request_hash="h" * 64, report=report)


def test_finds_the_key_in_one_statement_without_ordering_limiting_or_joining(stored):
    # when the key is looked up
    with CaptureQueriesContext(connection) as queries:
        found = idempotency_key_find(user_id=stored.user_id, key="k-1")
    # then one statement on the key table alone found it
    assert found == StoredKey(stored.pk, "h" * 64, stored.report_id, lapsed=False)
    assert len(queries.captured_queries) == 1
    sql = queries.captured_queries[0]["sql"].upper()
    assert "ORDER BY" not in sql and "LIMIT" not in sql and "JOIN" not in sql


def test_another_users_key_and_an_unknown_key_find_nothing_and_an_old_key_has_lapsed(stored, make_citizen, settings):
    other = make_citizen("+84905777333")
    assert idempotency_key_find(user_id=other.pk, key="k-1") is None
    assert idempotency_key_find(user_id=stored.user_id, key="k-2") is None
    # a key older than the expiry window is found as lapsed; within it, it is not
    settings.IDEMPOTENCY_KEY_TTL_DAYS = 7
    later = stored.created_at + timedelta(days=7, seconds=1)
    assert idempotency_key_find(user_id=stored.user_id, key="k-1", now=later).lapsed is True
    assert idempotency_key_find(user_id=stored.user_id, key="k-1", now=later - timedelta(seconds=2)).lapsed is False
