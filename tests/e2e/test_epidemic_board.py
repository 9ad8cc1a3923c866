"""The health agency's board shows suspected cases by ward and day; another agency's board does not."""

from __future__ import annotations

import pytest

from tests.e2e._live import login

pytestmark = pytest.mark.e2e


def test_the_health_agency_sees_suspected_cases_by_ward_and_others_do_not(browser, e2e_server):
    # given a suspected case reported in Phú Xuân (the Citadel)
    e2e_server.request("POST", "/api/v1/reports/", token=e2e_server.citizen_token, multipart={
        "description": "Con tôi sốt cao 3 ngày, phát ban", "latitude": "16.4698", "longitude": "107.5786",
        "category": "health_epidemic", "health_kind": "suspected_case", "people_count": "2",
    })
    # when the health agency opens its board
    context, page = login(browser, e2e_server, "health-e2e", "/agency/")
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    row = page.locator("[data-testid=epidemic-table] tr[data-ward='phu-xuan']")
    row.wait_for(timeout=10_000)
    # then Phú Xuân has today's 2 people, in the last column before the total
    cells = row.locator("td").all_inner_texts()
    assert (cells[0], cells[-2], cells[-1]) == ("Phú Xuân", "2", "2")
    assert len(cells) == 1 + 7 + 1
    # and 14 days are one tap away
    page.click("#epidemic [data-days='14']")
    page.wait_for_function("() => document.querySelectorAll('[data-testid=epidemic-table] thead th').length === 16")
    assert errors == []
    context.close()
    # and HEPCO's board has no such panel, and asked for nothing it may not read
    context, page = login(browser, e2e_server, "hepco-e2e", "/agency/")
    page.wait_for_timeout(1500)
    assert page.locator("#epidemic").is_hidden()
    context.close()
