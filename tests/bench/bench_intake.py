"""Intake throughput through the real ASGI server (uvicorn), beside a one-row-insert view.

Run: .venv/bin/python tests/bench/bench_intake.py [--seconds 5] [--clients 8]
Prints requests/s for: the baseline view that only inserts one row, a report without photo, a
report with one real 800 px photo, and the ratios to the baseline (goal without photo: >= 0.5x).
"""

from __future__ import annotations

import argparse
import http.client
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from backend.reports.simulator import multipart_body  # noqa: E402  (Django-free)
from tests.bench._server import ROOT, running_server  # noqa: E402

PHOTO = next(iter(sorted((ROOT / ".." / "shared" / "data" / "photos").glob("*.jpg"))))




def load(port: int, path: str, make_body, headers: dict[str, str], seconds: float, clients: int) -> tuple[float, int]:
    done = [0] * clients
    errors = [0] * clients
    stop = time.perf_counter() + seconds

    def worker(i: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        while time.perf_counter() < stop:
            body, ctype = make_body()
            conn.request("POST", path, body=body, headers={**headers, "Content-Type": ctype})
            response = conn.getresponse()
            response.read()
            if response.status in (200, 201):
                done[i] += 1
            else:
                errors[i] += 1

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(clients)]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return sum(done) / (time.perf_counter() - start), sum(errors)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--clients", type=int, default=8)
    args = parser.parse_args()
    photo = PHOTO.read_bytes()
    fields = {"description": "Ổ gà lớn trên đường Lê Lợi gần trường Quốc Học", "latitude": "16.4637", "longitude": "107.5909"}
    with running_server() as (base, info):
        port = int(base.rsplit(":", 1)[1])
        auth = {"Authorization": f"Token {info['token']}"}
        cases = [
            ("baseline: view inserting one row", "/bench/insert/", lambda: (b"", "text/plain"), {}),
            ("report, no photo", "/api/v1/reports/", lambda: multipart_body(fields, None), auth),
            ("report, one 800px photo", "/api/v1/reports/", lambda: multipart_body(fields, photo), auth),
        ]
        load(port, "/bench/insert/", cases[0][2], {}, 1.0, args.clients)  # warm-up
        results = {}
        for name, path, body, headers in cases:
            rate, errors = load(port, path, body, headers, args.seconds, args.clients)
            results[name] = rate
            print(f"{name:<36} {rate:8.1f} req/s  errors={errors}")
        base_rate = results[cases[0][0]]
        for name in list(results)[1:]:
            print(f"ratio {name:<30} {results[name] / base_rate:.2f}x baseline")


if __name__ == "__main__":
    main()
