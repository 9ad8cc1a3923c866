"""The operators' workbench in a real browser: a report's detail with its photo, one-click merge of a
suggested duplicate, find/filter/keyboard, and the open detail staying live."""

from __future__ import annotations

import pytest

from tests.e2e._axe import assert_accessible
from tests.e2e._live import jpeg_bytes, login

pytestmark = pytest.mark.e2e


def row(page, report_id: int):
    return page.locator(f"#queue-body [data-testid=report-row][data-report-id='{report_id}']")


def detail(page, report_id: int):
    return page.locator(f"[data-testid=report-detail][data-report-id='{report_id}']")


def test_operator_opens_a_report_and_sees_its_photo_load(browser, e2e_server):
    # given a report with a photo
    report = e2e_server.submit(
        "Ổ gà sâu giữa đường Trần Hưng Đạo, trước chợ Đông Ba", 16.4727, 107.5880, photos=[jpeg_bytes(1200, 900, 1)]
    )
    context, page = login(browser, e2e_server, "ops-e2e", "/dashboard/")
    # when the operator clicks its row
    row(page, report["id"]).wait_for(timeout=10_000)
    row(page, report["id"]).click()
    panel = detail(page, report["id"])
    panel.locator("[data-testid=report-timeline]").wait_for(timeout=10_000)
    # then the detail shows the photo's thumbnail, loaded (the browser decoded real pixels)
    thumb = panel.locator("[data-testid=report-photo]")
    assert thumb.count() == 1
    page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=thumb.element_handle(), timeout=10_000)
    assert thumb.get_attribute("src") == report["photos"][0]["thumbnail_url"]
    # and, clicked, the full-size photo at the stored size
    thumb.click()
    full = page.locator("#photo-dialog[open] [data-testid=report-photo-full]")
    full.wait_for(timeout=5_000)
    page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=full.element_handle(), timeout=10_000)
    assert full.evaluate("img => [img.naturalWidth, img.naturalHeight]") == [
        report["photos"][0]["width"], report["photos"][0]["height"],
    ]
    page.keyboard.press("Escape")
    # and its point on the ward map, its timeline and the triage with the model's probabilities
    panel.locator("#detail-map .pt-main").wait_for(timeout=10_000)
    assert panel.locator("#detail-map .pt-main").count() == 1
    assert panel.locator("[data-testid=report-timeline] li").count() >= 2
    assert panel.locator(".probs .prob").count() >= 1
    # and nothing on the page is a serious or critical accessibility failure
    assert_accessible(page)
    context.close()


def test_operator_merges_a_suggested_duplicate_in_one_click(browser, e2e_server):
    # given two reports of the same flooded street, ten metres apart
    first = e2e_server.submit("Ngập sâu 40 cm trên đường Bà Triệu đoạn gần cầu Vĩ Dạ", 16.4652, 107.6031,
                              photos=[jpeg_bytes(800, 600, 5)])
    second = e2e_server.submit("Đường Bà Triệu gần cầu Vĩ Dạ ngập sâu khoảng 40 cm", 16.4653, 107.6031)
    context, page = login(browser, e2e_server, "ops-e2e", "/dashboard/")
    row(page, second["id"]).wait_for(timeout=10_000)
    row(page, second["id"]).click()
    # when the operator opens the newer one, the older is suggested with its distance
    suggestion = detail(page, second["id"]).locator(f".dup[data-dup-id='{first['id']}']")
    suggestion.wait_for(timeout=10_000)
    assert "cách 11 m" in suggestion.inner_text()
    assert suggestion.locator("img.dup-thumb").get_attribute("src") == first["photos"][0]["thumbnail_url"]
    # and one click merges the newer into the older
    suggestion.locator("[data-testid=report-action-merge-duplicate]").click()
    # then the workbench moves to the report that lives on, which counts one more "me too"
    kept = detail(page, first["id"])
    kept.wait_for(timeout=10_000)
    merged = e2e_server.request("GET", f"/api/v1/ops/reports/{second['id']}/", token=e2e_server.operator_token)
    target = e2e_server.request("GET", f"/api/v1/ops/reports/{first['id']}/", token=e2e_server.operator_token)
    assert (merged["status"], merged["merged_into"]) == ("merged", first["tracking_code"])
    assert (target["me_too_count"], target["merged_reports"]) == (1, [second["id"]])
    # and the merged one has left the open queue
    row(page, second["id"]).wait_for(state="detached", timeout=10_000)
    context.close()


def test_find_filter_and_keyboard(browser, e2e_server):
    # given a report about a dark street light, among others
    light = e2e_server.submit("Đèn đường trên đường Nguyễn Sinh Cung tắt cả tuần nay", 16.4780, 107.6020)
    other = e2e_server.submit("Rác thải đổ trộm bên bờ sông An Cựu", 16.4570, 107.5960)
    assert light["area"] != other["area"]
    context, page = login(browser, e2e_server, "ops-e2e", "/dashboard/")
    row(page, other["id"]).wait_for(timeout=10_000)
    # when the operator presses "/" and types words without diacritics
    page.keyboard.press("/")
    page.keyboard.type("den duong nguyen sinh cung")
    # then only that report is listed
    page.wait_for_function("() => document.querySelectorAll('#queue-body [data-testid=report-row]').length === 1")
    assert row(page, light["id"]).count() == 1
    # when they leave the search box and go down with J, then press Enter
    page.keyboard.press("Escape")
    page.keyboard.press("j")
    assert row(page, light["id"]).get_attribute("aria-selected") == "true"
    page.keyboard.press("Enter")
    # then the detail opens beside the queue, and Escape closes it
    detail(page, light["id"]).wait_for(timeout=10_000)
    page.keyboard.press("Escape")
    page.locator("[data-testid=report-detail]").wait_for(state="hidden", timeout=5_000)
    # when the search is cleared and the other report's ward is clicked on the map
    page.click("#f-clear")
    ward = other["area"]
    page.locator(f"#map .map-wards path[data-code='{ward}']").dispatch_event("click")
    # then the queue holds that ward's reports only
    page.wait_for_function(
        "code => [...document.querySelectorAll('#queue-body [data-testid=report-row]')].length > 0", arg=ward
    )
    assert page.locator("#f-area").input_value() == ward
    listed = page.locator("#queue-body [data-testid=report-row]").evaluate_all("rows => rows.map(r => Number(r.dataset.reportId))")
    assert other["id"] in listed and light["id"] not in listed
    context.close()


def test_open_detail_updates_live_when_someone_else_acts(browser, e2e_server):
    # given an operator looking at a report
    report = e2e_server.submit("Cây xanh nghiêng sắp đổ trên đường Lê Duẩn", 16.4680, 107.5750)
    context, page = login(browser, e2e_server, "ops-e2e", "/dashboard/")
    row(page, report["id"]).wait_for(timeout=10_000)
    row(page, report["id"]).click()
    panel = detail(page, report["id"])
    panel.locator("[data-testid=report-timeline]").wait_for(timeout=10_000)
    page.evaluate("window.__sameDocument = true")
    before = panel.locator("[data-testid=report-timeline] li").count()
    # when another operator writes an internal note through the API
    e2e_server.request(
        "POST", f"/api/v1/ops/reports/{report['id']}/notes/", token=e2e_server.operator_token,
        body={"note": "Đã gọi điện cho tổ dân phố 5"},
    )
    # then the note appears in the open timeline, in the same document
    panel.locator("[data-testid=report-timeline] li", has_text="Đã gọi điện cho tổ dân phố 5").wait_for(timeout=10_000)
    assert panel.locator("[data-testid=report-timeline] li").count() == before + 1
    assert page.evaluate("window.__sameDocument") is True
    context.close()


def test_staff_login_page_is_accessible(browser, e2e_server):
    context = browser.new_context()
    page = context.new_page()
    page.goto(f"{e2e_server.url}/dashboard/login/")
    page.locator("#id_username").wait_for()
    assert_accessible(page)
    context.close()


def test_operator_sees_a_health_reports_kind_and_confirms_it(browser, e2e_server):
    # given a health report whose citizen did not say what kind it is (guessed from the text)
    report = e2e_server.request("POST", "/api/v1/reports/", token=e2e_server.citizen_token, multipart={
        "description": "Nhà bên cạnh có người sốt cao, phát ban mấy hôm nay", "latitude": "16.4698",
        "longitude": "107.5786", "category": "health_epidemic",
    })
    context, page = login(browser, e2e_server, "ops-e2e", "/dashboard/")
    row(page, report["id"]).wait_for(timeout=10_000)
    row(page, report["id"]).click()
    panel = detail(page, report["id"])
    section = panel.locator("[data-testid=report-health]")
    section.wait_for(timeout=10_000)
    # then the detail shows the kind as a guess to confirm
    assert section.locator(".tag").count() == 1
    # when the operator picks "suspected case" and confirms
    panel.locator("form[data-form=health] select").select_option("suspected_case")
    panel.locator("[data-testid=report-action-health-kind]").click()
    # then the kind is confirmed: no longer marked as a guess
    page.wait_for_function(
        "id => { const s = document.querySelector(`[data-testid=report-detail][data-report-id='${id}'] [data-testid=report-health]`);"
        " return s && !s.querySelector('.tag'); }", arg=report["id"], timeout=10_000,
    )
    answer = e2e_server.request("GET", f"/api/v1/ops/reports/{report['id']}/", token=e2e_server.operator_token)
    assert (answer["health"]["kind"], answer["health"]["kind_given"]) == ("suspected_case", True)
    context.close()
