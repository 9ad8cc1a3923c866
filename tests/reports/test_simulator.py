"""The simulator drives the real HTTP API like flaky phones do: retries come back as the same report."""

from __future__ import annotations

import pytest

from backend.accounts.services import user_ensure
from backend.accounts.tokens import token_issue
from backend.reports.models import Report
from backend.reports.simulator import simulate


@pytest.mark.django_db(transaction=True)
def test_simulated_reports_go_through_the_api_and_retries_do_not_duplicate(live_server, reference_data):
    token = token_issue(user=user_ensure(username="+84905000077", role="citizen"))
    outcome = simulate(
        base_url=live_server.url, tokens=[token], centres=[(16.4698, 107.5786)], count=3, rate=0,
        photo_share=0.5, retry_share=1.0, log=lambda line: None,
    )
    assert (outcome.sent, outcome.created, outcome.replayed, outcome.failed) == (6, 3, 3, 0)
    assert Report.objects.count() == 3
