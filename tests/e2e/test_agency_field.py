"""The agency board on a phone in the field: open a ticket, accept, resolve with an after-photo."""

from __future__ import annotations

import pytest

from tests.e2e._axe import assert_accessible
from tests.e2e._live import jpeg_bytes, login

pytestmark = pytest.mark.e2e

PHONE = (390, 844)


def no_horizontal_scroll(page) -> bool:
    return bool(page.evaluate("() => document.scrollingElement.scrollWidth <= window.innerWidth"))


def test_agency_member_on_a_phone_resolves_a_ticket_with_a_photo(browser, e2e_server, tmp_path):
    # given a broken street light reported with a photo and routed to HEPCO by an operator
    report = e2e_server.submit(
        "Cột đèn chiếu sáng ở kiệt 7 Phan Đình Phùng bị nghiêng, đèn tắt", 16.4610, 107.5850,
        photos=[jpeg_bytes(1000, 750, 2)],
    )
    routed = e2e_server.request(
        "POST", f"/api/v1/ops/reports/{report['id']}/triage/", token=e2e_server.operator_token,
        body={"category": "street_lighting", "urgency": "high"},
    )
    assert (routed["status"], routed["agency"]) == ("assigned", "hepco")
    context, page = login(browser, e2e_server, "hepco-e2e", "/agency/", viewport=PHONE, phone=True)
    card = page.locator(f"#tickets [data-testid=report-row][data-report-id='{report['id']}']")
    card.wait_for(timeout=10_000)
    assert no_horizontal_scroll(page)
    # when the staff member taps the ticket
    card.tap()
    panel = page.locator(f"[data-testid=report-detail][data-report-id='{report['id']}']")
    panel.locator("[data-testid=report-timeline]").wait_for(timeout=10_000)
    # then they see the citizen's photo, the map, a geo: link for directions and the deadline
    thumb = panel.locator("[data-testid=report-photo]")
    page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=thumb.element_handle(), timeout=10_000)
    assert panel.locator("[data-testid=ticket-directions]").get_attribute("href") == (
        f"geo:16.461000,107.585000?q=16.461000,107.585000({report['tracking_code']})"
    )
    panel.locator("#detail-map .pt-main").wait_for(timeout=10_000)
    assert panel.locator("#detail-map .pt-main").count() == 1
    assert panel.locator(".big-due").inner_text().startswith("còn ")
    assert no_horizontal_scroll(page)
    assert_accessible(page)
    # when they accept, then resolve with a note and a photo from the camera
    panel.locator("[data-testid=report-action-accept]").tap()
    resolve = panel.locator("[data-testid=report-action-resolve]")
    resolve.wait_for(timeout=10_000)
    box = resolve.bounding_box()
    assert box is not None and box["height"] >= 44 and box["width"] >= 300  # a thumb-sized target
    camera = panel.locator("[data-testid=resolve-photos]")
    assert (camera.get_attribute("accept"), camera.get_attribute("capture")) == ("image/*", "environment")
    after = tmp_path / "after.jpg"
    after.write_bytes(jpeg_bytes(800, 600, 3))
    panel.locator("form[data-form=resolve] textarea[name=note]").fill("Đã dựng lại cột và thay bóng đèn")
    camera.set_input_files(str(after))
    panel.locator(".photo-preview img").wait_for(timeout=5_000)
    resolve.tap()
    # then the ticket is resolved, with the after-photo beside the citizen's
    panel.locator("[data-testid=report-status]", has_text="Đã xử lý").wait_for(timeout=10_000)
    after_photo = panel.locator(".photo-col:nth-child(2) [data-testid=report-photo]")
    after_photo.wait_for(timeout=10_000)
    page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=after_photo.element_handle(), timeout=10_000)
    stored = e2e_server.request("GET", f"/api/v1/reports/{report['id']}/", token=e2e_server.citizen_token)
    assert stored["status"] == "resolved"
    assert [(p["width"], p["height"]) for p in stored["resolution_photos"]] == [(800, 600)]
    assert stored["timeline"][-1]["note"] == "Đã dựng lại cột và thay bóng đèn"
    assert no_horizontal_scroll(page)
    # and the back button returns to the list, where the resolved ticket is gone
    panel.locator("[data-act=back]").tap()
    page.locator(".tickets-panel").wait_for(state="visible", timeout=5_000)
    card.wait_for(state="detached", timeout=10_000)
    context.close()
