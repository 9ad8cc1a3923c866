"""Screenshots of every page for docs/ (not part of the suite).

    .venv/bin/python tests/e2e/make_screenshots.py

Starts the real server on a throwaway database with the demo data, lets "operators" triage part of
the queue through the REST API, submits reports with photos (two of them duplicates), and saves:
docs/login.png, docs/dashboard.png (a report's detail open, a critical alert), docs/dashboard-en.png,
docs/agency.png, docs/agency-phone.png (a ticket on a 390 px phone), docs/app-login.png,
docs/app-new.png, docs/app-reports.png, docs/app-report.png (the citizen's web app on a phone).
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from playwright.sync_api import sync_playwright  # noqa: E402

from tests.e2e._live import CHROMIUM, CHROMIUM_ARGS, jpeg_bytes, login, running_e2e_server  # noqa: E402

DOCS = ROOT / "docs"
# What an operator would file the demo reports as (keywords of their text), for a realistic queue.
KEYWORDS = [
    ("dây điện", "power_supply", "critical"), ("cột điện", "power_supply", "high"), ("mất điện", "power_supply", "high"),
    ("đèn", "street_lighting", "normal"), ("cây", "trees_parks", "high"), ("ổ gà", "road_damage", "high"),
    ("ngập", "drainage_flooding", "high"), ("cống", "drainage_flooding", "normal"), ("mương", "drainage_flooding", "normal"),
    ("rác", "environment", "normal"), ("khói", "environment", "normal"), ("nước máy", "water_supply", "normal"),
    ("mất nước", "water_supply", "high"), ("tai nạn", "traffic", "critical"), ("biển báo", "traffic", "normal"),
    ("loa", "noise", "low"), ("lấn", "urban_order", "normal"), ("xây", "urban_order", "normal"),
    ("sốt", "health_epidemic", "high"), ("tin", "misinformation", "normal"), ("thủ tục", "public_services", "low"),
]


def main() -> None:
    DOCS.mkdir(exist_ok=True)
    with running_e2e_server(demo=True) as server:
        queue = server.request("GET", "/api/v1/ops/reports/?page_size=200", token=server.operator_token)["results"]
        actionable = {"submitted", "triaged", "needs_review", "assigned", "returned"}
        for report in [r for r in queue if r["status"] in actionable][: len(queue) * 2 // 3]:
            text = report["description"].lower()
            match = next(((c, u) for word, c, u in KEYWORDS if word in text), None)
            if match is None:
                continue
            category, urgency = match
            server.request("POST", f"/api/v1/ops/reports/{report['id']}/triage/", token=server.operator_token,
                           body={"category": category, "urgency": urgency})
        first = server.submit("Ổ gà lớn giữa đường Lê Lợi trước số 12, xe máy dễ ngã", 16.4637, 107.5909,
                              photos=[jpeg_bytes(1200, 900, 1)])
        second = server.submit("Đường Lê Lợi trước nhà số 12 có ổ gà rất sâu, tối qua có người ngã", 16.4638, 107.5909,
                               photos=[jpeg_bytes(1200, 900, 2), jpeg_bytes(900, 1200, 3)])
        for report in (first, second):
            server.request("POST", f"/api/v1/ops/reports/{report['id']}/triage/", token=server.operator_token,
                           body={"category": "road_damage", "urgency": "high"})
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            ctx = browser.new_context(viewport={"width": 1280, "height": 800})
            page = ctx.new_page()
            page.goto(f"{server.url}/dashboard/login/")
            page.screenshot(path=str(DOCS / "login.png"))
            ctx.close()

            ctx, page = login(browser, server, "ops-e2e", "/dashboard/", viewport=(1600, 1000))
            page.wait_for_selector("#map .map-wards path", timeout=10_000)
            live = server.submit("Cột điện đổ chắn ngang đường Điện Biên Phủ, dây điện rơi xuống mặt đường", 16.4545, 107.5790)
            page.locator("#queue-body [data-testid=report-row]", has_text=live["tracking_code"]).wait_for(timeout=10_000)
            server.request("POST", f"/api/v1/ops/reports/{live['id']}/triage/", token=server.operator_token,
                           body={"category": "power_supply", "urgency": "critical"})
            page.wait_for_selector("#alert-banner .alert-item", timeout=10_000)
            page.wait_for_timeout(600)
            page.screenshot(path=str(DOCS / "dashboard-queue.png"))
            page.locator(f"#queue-body [data-report-id='{second['id']}']").click()
            detail = page.locator(f"[data-testid=report-detail][data-report-id='{second['id']}']")
            detail.locator(".dup").first.wait_for(timeout=10_000)
            detail.locator("#detail-map .pt-main").wait_for(timeout=10_000)
            page.wait_for_timeout(800)
            page.screenshot(path=str(DOCS / "dashboard.png"))
            page.click("#lang-toggle")
            page.wait_for_timeout(300)
            detail.evaluate("el => { el.scrollTop = 700; }")
            page.wait_for_timeout(300)
            page.screenshot(path=str(DOCS / "dashboard-en.png"))
            ctx.close()

            ctx, page = login(browser, server, "hepco-e2e", "/agency/", viewport=(1280, 900))
            page.locator("#tickets article").first.wait_for(timeout=10_000)
            page.locator("#tickets article").first.click()
            page.locator("[data-testid=report-detail] [data-testid=report-timeline]").wait_for(timeout=10_000)
            page.wait_for_timeout(800)
            page.screenshot(path=str(DOCS / "agency.png"))
            ctx.close()

            ctx, page = login(browser, server, "transport-e2e", "/agency/", viewport=(390, 844), phone=True)
            page.locator(f"#tickets [data-report-id='{first['id']}']").tap()
            page.locator("[data-testid=report-detail] [data-testid=report-action-accept]").tap()
            page.locator("[data-testid=report-detail] [data-testid=report-action-resolve]").wait_for(timeout=10_000)
            page.wait_for_timeout(800)
            page.screenshot(path=str(DOCS / "agency-phone.png"), full_page=True)
            ctx.close()

            ctx = browser.new_context(
                viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True, device_scale_factor=2,
                locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh", permissions=["geolocation"],
                geolocation={"latitude": 16.4705, "longitude": 107.5795},
            )
            page = ctx.new_page()
            page.goto(f"{server.url}/app/")
            page.locator("[data-testid=otp-phone]").wait_for()
            page.screenshot(path=str(DOCS / "app-login.png"))
            page.fill("[data-testid=otp-phone]", "0905 246 810")
            page.click("[data-testid=otp-request]")
            page.locator("[data-testid=otp-code]").wait_for(state="visible")
            page.fill("[data-testid=otp-code]", server.otp_code("+84905246810"))
            page.click("[data-testid=otp-submit]")
            page.locator("#c-pos-text", has_text="16.47050").wait_for(timeout=10_000)
            photo = Path(server.env["VAR_DIR"]) / "tree.jpg"
            photo.write_bytes(jpeg_bytes(1200, 900, 5))
            page.fill("[data-testid=report-description]", "Cây xanh bị gió làm nghiêng, sắp đổ ra đường Đinh Tiên Hoàng")
            page.set_input_files("[data-testid=report-photos]", str(photo))
            page.click("#c-pick")
            page.wait_for_timeout(800)
            page.screenshot(path=str(DOCS / "app-new.png"), full_page=True)
            page.click("[data-testid=report-submit]")
            page.locator("#mine [data-testid=report-row]").wait_for(timeout=20_000)
            page.wait_for_timeout(800)
            page.screenshot(path=str(DOCS / "app-reports.png"))
            page.locator("#mine [data-testid=report-row] a").click()
            page.locator("[data-testid=report-timeline]").wait_for(timeout=10_000)
            report_id = int(re.findall(r"#/reports/(\d+)", page.url)[0])
            server.request("POST", f"/api/v1/ops/reports/{report_id}/triage/", token=server.operator_token,
                           body={"category": "trees_parks", "urgency": "high"})
            page.locator("[data-testid=report-detail] [data-testid=report-status]", has_text="Đã chuyển đơn vị").wait_for(timeout=10_000)
            page.wait_for_timeout(800)
            page.screenshot(path=str(DOCS / "app-report.png"), full_page=True)
            ctx.close()
            browser.close()
    print("saved", *(p.name for p in sorted(DOCS.glob("*.png"))))


if __name__ == "__main__":
    main()
