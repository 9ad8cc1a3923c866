"""Screenshots of the operators' dashboard and the agency board for docs/ (not part of the suite).

    .venv/bin/python tests/e2e/make_screenshots.py

Starts the real server on a throwaway database with the demo data, lets "operators" triage part of
the queue through the REST API, opens both pages in Chromium, submits a report live and raises it to
critical (the alert banner), and saves docs/dashboard.png, docs/dashboard-en.png, docs/agency.png.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from playwright.sync_api import sync_playwright  # noqa: E402

from tests.e2e._live import CHROMIUM, CHROMIUM_ARGS, login, running_e2e_server  # noqa: E402

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
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            ctx, page = login(browser, server, "ops-e2e", "/dashboard/", viewport=(1600, 1000))
            page.wait_for_selector("#map .map-wards path", timeout=10_000)
            live = server.submit("Cột điện đổ chắn ngang đường Điện Biên Phủ, dây điện rơi xuống mặt đường", 16.4545, 107.5790)
            page.locator("#queue-body tr", has_text=live["tracking_code"]).wait_for(timeout=10_000)
            server.request("POST", f"/api/v1/ops/reports/{live['id']}/triage/", token=server.operator_token,
                           body={"category": "power_supply", "urgency": "critical"})
            page.wait_for_selector("#alert-banner .alert-item", timeout=10_000)
            page.wait_for_timeout(600)
            page.screenshot(path=str(DOCS / "dashboard.png"))
            page.click("#lang-toggle")
            page.wait_for_timeout(300)
            page.screenshot(path=str(DOCS / "dashboard-en.png"))
            ctx.close()
            ctx, page = login(browser, server, "hepco-e2e", "/agency/", viewport=(1280, 900))
            page.wait_for_timeout(800)
            page.screenshot(path=str(DOCS / "agency.png"))
            ctx.close()
            browser.close()
    print("saved", *(p.name for p in sorted(DOCS.glob("*.png"))))


if __name__ == "__main__":
    main()
