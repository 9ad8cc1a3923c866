"""The public pages in Chromium: /public/ (warnings that leave live, map, ranking, rumours, assistant)
and /track/ (a tracking code followed live), on a phone-sized screen, with no JavaScript errors."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

pytestmark = pytest.mark.e2e

PHONE = {"width": 390, "height": 844}


def open_page(browser, server, path: str, *, lang: str = "vi"):
    context = browser.new_context(viewport=PHONE, locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh")
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("request", lambda req: errors.append("remote " + req.url) if not req.url.startswith(server.url) else None)
    page.add_init_script(f"localStorage.setItem('hue.lang', '{lang}')")
    page.goto(f"{server.url}{path}")
    return context, page, errors


def warning(server, title: str, *, seconds: int = 3600, severity: str = "Severe") -> dict:
    expires = (datetime.now(UTC) + timedelta(seconds=seconds)).isoformat()
    return server.request("POST", "/api/v1/ops/alerts/", token=server.operator_token, body={
        "title": title, "body": "Hạn chế ra đường.", "title_en": f"{title} (en)", "body_en": "Stay home.",
        "kind": "flood", "severity": severity, "urgency": "Expected", "certainty": "Likely",
        "expires_at": expires, "city_wide": True,
    })


def test_public_page_shows_warnings_that_leave_live_and_the_citys_record(browser, e2e_server):
    # given an active warning and a published report
    kept = warning(e2e_server, "Cảnh báo lũ sông Hương")
    cancelled = warning(e2e_server, "Cảnh báo sẽ bị huỷ")
    e2e_server.submit("Rác thải đổ trộm bên bờ sông Hương, bốc mùi")
    context, page, errors = open_page(browser, e2e_server, "/public/")
    page.wait_for_selector("body[data-loaded]", timeout=15_000)
    # then both warnings, the ward map, the record table and the assistant are on the page
    page.locator(f"#alert-{kept['id']}").wait_for(timeout=10_000)
    assert page.locator(f"#alert-{cancelled['id']}").count() == 1
    assert page.locator("#map[data-ready='1'] path.ward").count() >= 30
    assert page.locator("#map-points circle").count() >= 1
    assert page.locator("#ranking tbody tr").count() >= 1
    assert page.locator("#charts svg.chart").count() == 2
    # when the operator cancels one, then it leaves the page at once, without a reload: the page hears it
    # on the warning stream (its fallback poll is a minute)
    page.wait_for_selector("body[data-live='1']", timeout=10_000)
    page.evaluate("window.__same = true")
    e2e_server.request("POST", f"/api/v1/ops/alerts/{cancelled['id']}/cancel/", token=e2e_server.operator_token, body={})
    page.locator(f"#alert-{cancelled['id']}").wait_for(state="detached", timeout=5_000)
    assert page.locator(f"#alert-{kept['id']}").count() == 1
    assert page.evaluate("window.__same") is True
    # and the assistant answers from the page
    page.fill("#ask-text", "Hôm nay trời có mưa không?")
    page.click("#ask button")
    page.wait_for_selector("#answer[data-intent='unknown']", timeout=10_000)
    assert "0234 1022" in page.inner_text("#answer")
    # and English is one tap away
    page.click("#lang")
    assert page.inner_text("#warnings h2") == "Active warnings"
    assert page.locator(f"#alert-{kept['id']} h3").inner_text() == "Cảnh báo lũ sông Hương (en)"
    assert errors == []
    context.close()


def test_public_page_shows_a_new_warning_as_soon_as_it_is_published(browser, e2e_server):
    context, page, errors = open_page(browser, e2e_server, "/public/")
    page.wait_for_selector("body[data-live='1']", timeout=15_000)
    fresh = warning(e2e_server, "Cảnh báo mới phát")
    page.locator(f"#alert-{fresh['id']}").wait_for(timeout=5_000)
    assert errors == []
    context.close()


def test_an_expiring_warning_leaves_the_page_when_it_expires(browser, e2e_server):
    short = warning(e2e_server, "Cảnh báo ngắn", seconds=6)
    context, page, errors = open_page(browser, e2e_server, "/public/")
    page.locator(f"#alert-{short['id']}").wait_for(timeout=10_000)
    page.locator(f"#alert-{short['id']}").wait_for(state="detached", timeout=15_000)
    assert errors == []
    context.close()


def test_track_page_follows_a_report_live(browser, e2e_server):
    report = e2e_server.submit("Đèn đường trước số 10 Lê Lợi bị hỏng, tối om")
    context, page, errors = open_page(browser, e2e_server, "/track/")
    page.fill("#code", report["tracking_code"].lower())
    page.click("#track-form button")
    page.wait_for_selector("#tracked:not([hidden])", timeout=10_000)
    assert page.locator("#t-timeline li").count() >= 1
    first_status = page.inner_text("#t-status")
    # when an operator rejects it, then the page shows the new status within its refresh
    e2e_server.request("POST", f"/api/v1/ops/reports/{report['id']}/reject/", token=e2e_server.operator_token,
                       body={"reason": "Trùng lặp"})
    page.wait_for_function(
        "s => document.getElementById('t-status').textContent !== s", arg=first_status, timeout=20_000
    )
    assert page.inner_text("#t-status") == "Từ chối"
    assert errors == []
    # an unknown code says so (the browser logs the API's 404 itself; no script error)
    page.fill("#code", "ABCD-EFGH")
    page.click("#track-form button")
    page.wait_for_selector("#track-error:not([hidden])", timeout=10_000)
    assert page.inner_text("#track-error") == "Không tìm thấy phản ánh với mã này."
    assert errors == ["Failed to load resource: the server responded with a status of 404 (Not Found)"]
    context.close()
