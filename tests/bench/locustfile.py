"""Locust profiles for the whole-system load test (driven by tests/bench/bench_load.py).

Citizens submit reports (20 % with a photo, always with an Idempotency-Key, retried with the same key
after a 503/429 as the app does) and read their list; operators list the queue, open reports and
confirm triage. Tokens come from the driver through the environment. Loopback only.
"""

from __future__ import annotations

import os
import random
import sys
import uuid
from pathlib import Path

from locust import HttpUser, between, task

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from backend.reports.simulator import multipart_body  # noqa: E402  (Django-free)

CITIZEN_TOKENS = os.environ["LOAD_CITIZEN_TOKENS"].split(",")
OPERATOR_TOKENS = os.environ["LOAD_OPERATOR_TOKENS"].split(",")
PHOTO = Path(os.environ["LOAD_PHOTO"]).read_bytes()
TEXTS = [
    ("Ổ gà lớn trên đường Lê Lợi gần trường Quốc Học, xe máy dễ ngã", 16.4637, 107.5909),
    ("Rác thải ứ đọng nhiều ngày ở kiệt 12 Phan Đình Phùng, bốc mùi", 16.4590, 107.5850),
    ("Đèn đường hỏng cả dãy phố Trần Hưng Đạo, buổi tối tối om", 16.4720, 107.5880),
    ("Cây xanh bị gãy cành lớn chắn ngang vỉa hè đường Hùng Vương", 16.4610, 107.5960),
    ("Nước ngập sâu sau mưa ở đường Bà Triệu, cống thoát bị tắc", 16.4560, 107.6010),
]


class Citizen(HttpUser):
    weight = 9
    wait_time = between(1, 3)

    def on_start(self) -> None:
        self.client.headers["Authorization"] = f"Token {random.choice(CITIZEN_TOKENS)}"

    @task(4)
    def submit(self) -> None:
        text, lat, lng = random.choice(TEXTS)
        photo = PHOTO if random.random() < 0.2 else None
        body, ctype = multipart_body({"description": text, "latitude": str(lat), "longitude": str(lng)}, photo)
        key = uuid.uuid4().hex
        name = "POST /api/v1/reports/ (photo)" if photo else "POST /api/v1/reports/"
        for _attempt in range(3):
            with self.client.post("/api/v1/reports/", data=body, name=name, catch_response=True,
                                  headers={"Content-Type": ctype, "Idempotency-Key": key}) as response:
                if response.status_code in (503, 429):
                    response.failure(f"refused {response.status_code}")  # counted, then retried like the app
                    self._sleep_retry_after(response)
                    continue
                if response.status_code not in (200, 201):
                    response.failure(f"status {response.status_code}")
                return

    def _sleep_retry_after(self, response) -> None:
        import gevent

        gevent.sleep(float(response.headers.get("Retry-After", "1")))

    @task(1)
    def mine(self) -> None:
        self.client.get("/api/v1/reports/mine/", name="GET /api/v1/reports/mine/")


class Operator(HttpUser):
    weight = 1
    wait_time = between(2, 5)

    def on_start(self) -> None:
        self.client.headers["Authorization"] = f"Token {random.choice(OPERATOR_TOKENS)}"

    @task(3)
    def queue(self) -> None:
        with self.client.get("/api/v1/ops/reports/?ordering=-created_at", name="GET /api/v1/ops/reports/",
                             catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"status {response.status_code}")
                return
            payload = response.json()
            results = payload.get("results", payload) if isinstance(payload, dict) else payload
            self.seen = [item["id"] for item in results[:20]] if results else []

    @task(2)
    def act(self) -> None:
        ids = getattr(self, "seen", [])
        if not ids:
            return
        report_id = random.choice(ids)
        self.client.get(f"/api/v1/ops/reports/{report_id}/", name="GET /api/v1/ops/reports/{id}/")
        with self.client.post(f"/api/v1/ops/reports/{report_id}/triage/", catch_response=True,
                              json={"category": "road_damage", "urgency": "normal"},
                              name="POST /api/v1/ops/reports/{id}/triage/") as response:
            # A report another operator already moved on is refused by the lifecycle (4xx): not an error.
            if response.status_code >= 500 or response.status_code == 429:
                response.failure(f"status {response.status_code}")
            else:
                response.success()
