"""The citizens' web app (/app/) in a real browser, on a phone-sized screen."""

from __future__ import annotations

import itertools
import json

import pytest

from tests.e2e._axe import assert_accessible
from tests.e2e._live import jpeg_bytes

pytestmark = pytest.mark.e2e

PHONE = {"width": 390, "height": 844}
HUE = {"latitude": 16.4560, "longitude": 107.5880}
_numbers = itertools.count(1)


def phone_context(browser, **extra):
    return browser.new_context(
        viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=2, locale="vi-VN",
        timezone_id="Asia/Ho_Chi_Minh", permissions=["geolocation"], geolocation=HUE, **extra,
    )


def sign_in(page, server) -> str:
    """Logs in through the OTP form with a fresh Vietnamese number; returns it as the server wrote it."""
    local = f"0912 345 {next(_numbers):03d}"
    page.goto(f"{server.url}/app/")
    page.fill("[data-testid=otp-phone]", local)
    page.click("[data-testid=otp-request]")
    page.locator("[data-testid=otp-code]").wait_for(state="visible", timeout=10_000)
    international = "+84" + local.replace(" ", "")[1:]
    page.fill("[data-testid=otp-code]", server.otp_code(international))
    page.click("[data-testid=otp-submit]")
    page.locator("[data-testid=report-description]").wait_for(state="visible", timeout=10_000)
    return international


def no_horizontal_scroll(page) -> bool:
    return bool(page.evaluate("() => document.scrollingElement.scrollWidth <= window.innerWidth"))


def test_citizen_submits_through_a_dropped_network_and_follows_the_report_live(browser, e2e_server, tmp_path):
    context = phone_context(browser)
    page = context.new_page()
    blocked: list[str] = []  # anything the Content-Security-Policy refused
    page.on("console", lambda msg: blocked.append(msg.text) if "Content Security Policy" in msg.text else None)
    page.goto(f"{e2e_server.url}/app/")
    page.locator("[data-testid=otp-phone]").wait_for(timeout=10_000)
    assert_accessible(page)
    # given a citizen signed in with the code sent by SMS
    sign_in(page, e2e_server)
    page.locator("#c-pos-text", has_text="16.45600, 107.58800").wait_for(timeout=10_000)
    assert_accessible(page)
    # and a network that drops the first submission after the server got it (the answer is lost)
    keys: list[str] = []

    def flaky(route, request):
        if request.method != "POST":
            route.continue_()
            return
        keys.append(request.headers["idempotency-key"])
        if len(keys) == 1:
            route.fetch()  # the server receives and stores the report...
            route.abort("connectionreset")  # ...but the phone never hears back
        else:
            route.continue_()

    page.route("**/api/v1/reports/", flaky)
    # when they describe a fire, add a photo and send it
    photo = tmp_path / "fire.jpg"
    photo.write_bytes(jpeg_bytes(1200, 900, 4))
    page.fill("[data-testid=report-description]", "Cháy lớn ở dãy nhà trọ kiệt 20 Trần Phú, khói bốc cao")
    page.set_input_files("[data-testid=report-photos]", str(photo))
    page.locator("#c-previews img").wait_for(timeout=5_000)
    assert no_horizontal_scroll(page)
    page.click("[data-testid=report-submit]")
    # then, after the retry, the list shows exactly one report with its tracking code
    row = page.locator("#mine [data-testid=report-row]")
    row.wait_for(timeout=20_000)
    page.locator("#pending [data-testid=report-pending]").wait_for(state="detached", timeout=10_000)
    assert len(keys) == 2 and keys[0] == keys[1]  # the retry carried the same Idempotency-Key
    token = page.evaluate("localStorage.getItem('hue.citizen.token')")
    mine = e2e_server.request("GET", "/api/v1/reports/mine/", token=token)
    assert mine["count"] == 1
    report = mine["results"][0]
    assert row.count() == 1
    assert row.locator("[data-testid=report-tracking-code]").inner_text() == report["tracking_code"]
    assert (report["latitude"], report["longitude"], len(report["photos"])) == (16.456, 107.588, 1)
    assert report["status"] == "needs_review"  # a fire waits for an operator
    assert_accessible(page)
    # when they open it
    row.locator("a").click()
    detail = page.locator(f"[data-testid=report-detail][data-report-id='{report['id']}']")
    detail.locator("[data-testid=report-timeline]").wait_for(timeout=10_000)
    page.wait_for_selector("#conn.conn-live", timeout=15_000)
    assert detail.locator("[data-testid=report-status]").inner_text() == "Chờ kiểm duyệt"
    thumb = detail.locator("[data-testid=report-photo]")
    page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=thumb.element_handle(), timeout=10_000)
    page.evaluate("window.__sameDocument = true")
    # and an operator assigns it to the police
    e2e_server.request(
        "POST", f"/api/v1/ops/reports/{report['id']}/assign/", token=e2e_server.operator_token, body={"agency": "police"}
    )
    # then its status changes on the citizen's screen, live, with the new step in the timeline
    detail.locator("[data-testid=report-status]", has_text="Đã chuyển đơn vị").wait_for(timeout=10_000)
    detail.locator("[data-testid=report-timeline] li", has_text="Chuyển đơn vị").wait_for(timeout=10_000)
    assert page.evaluate("window.__sameDocument") is True
    assert no_horizontal_scroll(page)
    assert_accessible(page)
    # and the English toggle turns the page to English
    page.click("#lang-toggle")
    assert page.locator("[data-nav=reports]").inner_text() == "My reports"
    assert blocked == []
    context.close()


def test_the_app_installs_opens_offline_and_sends_what_was_queued_there(browser, e2e_server):
    context = phone_context(browser)
    page = context.new_page()
    sign_in(page, e2e_server)
    # the app is installable: a manifest with its icons, and a service worker that takes control
    manifest_url = page.locator("link[rel=manifest]").get_attribute("href")
    manifest = json.loads(page.evaluate("url => fetch(url).then(r => r.text())", manifest_url))
    assert (manifest["start_url"], manifest["scope"], manifest["display"]) == ("/app/", "/app/", "standalone")
    assert sorted(icon["sizes"] for icon in manifest["icons"]) == ["192x192", "512x512", "any"]
    page.evaluate("() => navigator.serviceWorker.ready")
    page.reload()
    page.wait_for_function("() => navigator.serviceWorker.controller !== null", timeout=15_000)
    page.locator("[data-testid=report-description]").wait_for(state="visible", timeout=10_000)
    # when the phone goes offline, the app still opens (from the service worker's shell)
    context.set_offline(True)
    page.reload()
    page.locator("[data-testid=report-description]").wait_for(state="visible", timeout=10_000)
    page.locator("#offline-banner").wait_for(state="visible", timeout=5_000)
    # and a report written offline waits on the phone
    page.locator("#c-pos-text", has_text="16.45600").wait_for(timeout=10_000)
    page.fill("[data-testid=report-description]", "Rác ùn ứ ở đầu kiệt 3 Đặng Dung mấy ngày nay")
    page.click("[data-testid=report-submit]")
    pending = page.locator("#pending [data-testid=report-pending]")
    pending.wait_for(timeout=10_000)
    assert pending.count() == 1
    # then, back online, it is sent once and listed with its tracking code
    context.set_offline(False)
    row = page.locator("#mine [data-testid=report-row]")
    row.wait_for(timeout=20_000)
    pending.wait_for(state="detached", timeout=10_000)
    token = page.evaluate("localStorage.getItem('hue.citizen.token')")
    mine = e2e_server.request("GET", "/api/v1/reports/mine/", token=token)
    assert mine["count"] == 1
    assert row.locator("[data-testid=report-tracking-code]").inner_text() == mine["results"][0]["tracking_code"]
    context.close()


def test_a_citizen_rates_a_resolved_report_and_sees_their_rating(browser, e2e_server):
    # given a citizen signed in, whose report HEPCO has resolved
    context = phone_context(browser)
    page = context.new_page()
    sign_in(page, e2e_server)
    token = page.evaluate("localStorage.getItem('hue.citizen.token')")
    report = e2e_server.submit("Rác ở đầu kiệt 12 Nguyễn Trãi mấy ngày chưa thu", 16.4700, 107.5800, token=token)
    e2e_server.request("POST", f"/api/v1/ops/reports/{report['id']}/triage/", token=e2e_server.operator_token,
                       body={"category": "environment", "urgency": "normal"})
    hepco = e2e_server.manage("issue_token", "hepco-rate-e2e", "--role", "agency", "--agency", "hepco").split()[-1]
    e2e_server.request("POST", f"/api/v1/agency/tickets/{report['id']}/accept/", token=hepco)
    e2e_server.request("POST", f"/api/v1/agency/tickets/{report['id']}/resolve/", token=hepco, body={"note": "Đã thu gom"})
    # when they open it and give four stars
    page.goto(f"{e2e_server.url}/app/#/reports/{report['id']}")
    detail = page.locator(f"[data-testid=report-detail][data-report-id='{report['id']}']")
    detail.locator("[data-testid=report-action-rate]").wait_for(timeout=10_000)
    detail.locator("form[data-form=rate] input[value='4']").check(force=True)
    detail.locator("[data-testid=report-action-rate]").click()
    # then the form is gone and their rating is shown back to them
    rating = detail.locator("[data-testid=report-rating]")
    rating.wait_for(timeout=10_000)
    assert "★★★★☆" in rating.inner_text()
    assert detail.locator("[data-testid=report-action-rate]").count() == 0
    context.close()
