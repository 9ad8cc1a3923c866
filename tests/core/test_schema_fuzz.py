"""The API against its own OpenAPI schema: generated requests never cause a server error, and every
answer with a documented status matches its documented shape (schemathesis, a bounded run).

The run is derandomized and bounded (FUZZ_EXAMPLES examples per operation, default 8), so CI stays
fast and a failure reproduces. Requests are made as an operator (who may call most operations); the
public and citizen operations are exercised with the same token, which they accept or ignore.
"""

from __future__ import annotations

import os

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "8"))


@pytest.fixture
def api_schema(db, reference_data, settings):
    from backend.wsgi import application

    # Limits would turn repeated calls into 429s; this run is about crashes and shapes.
    for name in ("OTP_PER_IP_PER_HOUR", "OTP_SMS_PER_HOUR", "REPORTS_PER_USER_PER_HOUR", "REPORTS_PER_USER_PER_DAY",
                 "LOGIN_FAILURES_PER_USER_IP", "LOGIN_FAILURES_PER_USER", "LOGIN_FAILURES_PER_IP",
                 "OPEN311_REQUESTS_PER_KEY_PER_HOUR"):
        setattr(settings, name, 0)
    # As Django's test client does: the WSGI handler must not close the test's database connection.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield schemathesis.openapi.from_wsgi("/api/schema/", application)
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def operator_token(operator):
    from backend.accounts.tokens import token_issue

    return token_issue(user=operator)


def test_no_server_error_and_answers_match_the_schema(api_schema, operator_token):
    failures: list[str] = []
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) > 50  # the whole API, not an empty schema
    for operation in operations:

        @given(case=operation.as_strategy())
        @hypothesis_settings(
            max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
            suppress_health_check=list(HealthCheck),
        )
        def run(case) -> None:
            case.call_and_validate(
                headers={"Authorization": f"Token {operator_token}"},
                checks=[not_a_server_error, response_schema_conformance],
            )

        try:
            run()
        except (Exception, BaseExceptionGroup) as exc:  # one line per failing operation, then the next
            failures.append(f"{operation.label}: {' | '.join(str(exc).strip().splitlines()[:6])[:600]}")
    print("\n".join(failures))
    assert failures == []
