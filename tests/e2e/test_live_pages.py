"""The dashboards in a real browser: live arrival, an override reaching the agency, a cut socket."""

from __future__ import annotations

import pytest

from tests.e2e._live import login

pytestmark = pytest.mark.e2e


def row(page, tracking_code: str):
    return page.locator("#queue-body [data-testid=report-row]", has_text=tracking_code)


def test_report_submitted_through_the_api_appears_on_the_dashboard_without_reload(browser, e2e_server):
    context, page = login(browser, e2e_server, "ops-e2e", "/dashboard/")
    page.evaluate("window.__sameDocument = true")
    # when a citizen submits a report through the API
    report = e2e_server.submit("Cây đổ chắn ngang đường Lê Lợi, xe không qua được")
    # then its row appears, flashing, in the same document (no reload)
    page.locator("#queue-body tr", has_text=report["tracking_code"]).wait_for(timeout=10_000)
    assert row(page, report["tracking_code"]).count() == 1
    assert page.evaluate("window.__sameDocument") is True
    # and its point is on the ward map
    assert page.locator(f"#map .map-points circle[data-id='{report['id']}']").count() == 1
    context.close()


def test_operator_override_reaches_the_agency_board(browser, e2e_server):
    ops_context, ops = login(browser, e2e_server, "ops-e2e", "/dashboard/")
    agency_context, board = login(browser, e2e_server, "huewaco-e2e", "/agency/")
    # given a report the model files as something else
    report = e2e_server.submit("Đèn đường ở kiệt 12 Nguyễn Huệ bị hỏng mấy hôm nay")
    code = report["tracking_code"]
    row(ops, code).wait_for(timeout=10_000)
    assert board.locator("#tickets article", has_text=code).count() == 0
    # when the operator opens it and overrides the triage to water supply (routed to HueWACO)
    row(ops, code).click()
    panel = ops.locator(f"[data-testid=report-detail][data-report-id='{report['id']}']")
    panel.locator("[data-testid=report-action-override]").wait_for(timeout=10_000)
    panel.locator("form[data-form=override] select[name=category]").select_option("water_supply")
    panel.locator("form[data-form=override] select[name=urgency]").select_option("high")
    panel.locator("[data-testid=report-action-override]").click()
    # then HueWACO's board shows the ticket, live
    ticket = board.locator("#tickets article", has_text=code)
    ticket.wait_for(timeout=10_000)
    assert ticket.count() == 1
    detail = e2e_server.request("GET", f"/api/v1/ops/reports/{report['id']}/", token=e2e_server.operator_token)
    assert (detail["category"], detail["urgency"], detail["agency"]) == ("water_supply", "high", "huewaco")
    # and the agency can accept it from the ticket's detail; the board shows the new status live
    ticket.click()
    board.locator("[data-testid=report-detail] [data-testid=report-action-accept]").click()
    board.locator("#tickets article", has_text=code).locator(".status-accepted").wait_for(timeout=10_000)
    # and the operator's open detail follows it without a reload
    panel.locator("[data-testid=report-status]", has_text="Đơn vị đã tiếp nhận").wait_for(timeout=10_000)
    ops_context.close()
    agency_context.close()


def test_after_the_socket_is_cut_three_reports_show_up_exactly_once(browser, e2e_server):
    context, page = login(browser, e2e_server, "ops-e2e", "/dashboard/")
    # given the network drops (and the open socket with it)
    context.set_offline(True)
    page.evaluate("window.hueSocket.ws && window.hueSocket.ws.close()")
    page.wait_for_selector("#conn.conn-offline", timeout=10_000)
    # when three reports are submitted meanwhile
    made = [e2e_server.submit(f"Rác thải đổ trộm bên bờ sông Hương, điểm số {i}") for i in range(3)]
    page.wait_for_timeout(500)
    for report in made:
        assert row(page, report["tracking_code"]).count() == 0
    # then, back online, the dashboard resumes and shows each of them exactly once
    context.set_offline(False)
    page.wait_for_selector("#conn.conn-live", timeout=20_000)
    for report in made:
        row(page, report["tracking_code"]).wait_for(timeout=15_000)
    page.wait_for_timeout(1000)
    for report in made:
        assert row(page, report["tracking_code"]).count() == 1
        assert page.locator(f"#map .map-points circle[data-id='{report['id']}']").count() == 1
    context.close()
