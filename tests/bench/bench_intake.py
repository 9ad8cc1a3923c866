"""Intake throughput through the real servers, beside a one-row-insert view under the same server.

Run:
    .venv/bin/python tests/bench/bench_intake.py                          # embedded default (SQLite, uvicorn)
    .venv/bin/python tests/bench/bench_intake.py --postgres --server uvicorn --workers 2
    .venv/bin/python tests/bench/bench_intake.py --postgres --server gunicorn --workers 2
        [--seconds 10] [--clients 8] [--no-pool] [--database-url postgres://hue:hue@127.0.0.1:5432/hue_prod_bench]

Each case runs for --seconds with --clients keep-alive connections on loopback. Printed per case:
requests/s, errors, and the ratio to the baseline (a view that inserts one row) measured in the same
run under the same server, worker count and connection settings. On PostgreSQL it also prints how
many database sessions the run opened (pg_stat_database.sessions), which is what pooling is about.
Goals (issue 11): intake with an Idempotency-Key >= 0.3x baseline on PostgreSQL, >= 0.5x embedded.
"""

from __future__ import annotations

import argparse
import http.client
import os
import sys
import threading
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from backend.reports.simulator import multipart_body  # noqa: E402  (Django-free)
from tests.bench._server import ROOT, running_server  # noqa: E402

PHOTO = next(iter(sorted((ROOT / ".." / "shared" / "data" / "photos").glob("*.jpg"))))
DEFAULT_PG = "postgres://hue:hue@127.0.0.1:5432/hue_prod_bench"
DEFAULT_REDIS = "redis://127.0.0.1:6379/3"


def load(port: int, path: str, make_body, headers: dict[str, str], seconds: float, clients: int,
         idempotent: bool = False) -> tuple[float, int, list[float]]:
    done = [0] * clients
    errors = [0] * clients
    latencies: list[list[float]] = [[] for _ in range(clients)]
    stop = time.perf_counter() + seconds

    def worker(i: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        while time.perf_counter() < stop:
            body, ctype = make_body()
            extra = {"Idempotency-Key": uuid.uuid4().hex} if idempotent else {}
            sent = time.perf_counter()
            conn.request("POST", path, body=body, headers={**headers, **extra, "Content-Type": ctype})
            response = conn.getresponse()
            response.read()
            latencies[i].append(time.perf_counter() - sent)
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
    return sum(done) / (time.perf_counter() - start), sum(errors), sorted(x for xs in latencies for x in xs)


def pg_sessions(url: str) -> int:
    from urllib.parse import urlparse

    import psycopg

    name = urlparse(url).path.lstrip("/")
    with psycopg.connect(urlparse(url)._replace(path="/postgres").geturl()) as conn:
        row = conn.execute("SELECT sessions FROM pg_stat_database WHERE datname = %s", (name,)).fetchone()
    return int(row[0]) if row else 0


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--server", choices=["uvicorn", "gunicorn"], default="uvicorn")
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--postgres", action="store_true", help="PostgreSQL + Redis instead of the embedded default")
    parser.add_argument("--database-url", default=DEFAULT_PG)
    parser.add_argument("--redis-url", default=DEFAULT_REDIS)
    parser.add_argument("--no-pool", action="store_true", help="PostgreSQL: DB_POOL=false, DB_CONN_MAX_AGE=60")
    parser.add_argument("--photo", action="store_true", help="also a report with one real photo")
    args = parser.parse_args()
    env: dict[str, str] = {}
    if args.postgres:
        env = {"DATABASE_URL": args.database_url, "REDIS_URL": args.redis_url}
        if args.no_pool:
            env.update(DB_POOL="false", DB_CONN_MAX_AGE="60")
    photo = PHOTO.read_bytes()
    fields = {"description": "Ổ gà lớn trên đường Lê Lợi gần trường Quốc Học", "latitude": "16.4637", "longitude": "107.5909"}
    profile = ("postgresql+redis" + (" (CONN_MAX_AGE=60, no pool)" if args.no_pool else " (psycopg pool)")
               if args.postgres else "embedded default (SQLite, in-memory layer)")
    print(f"{profile}, {args.server} x{args.workers}, {args.clients} clients, {args.seconds:g} s per case")
    print("load average before: {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))
    with running_server(env, kind=args.server, workers=args.workers) as (base, info):
        port = int(base.rsplit(":", 1)[1])
        auth = {"Authorization": f"Token {info['token']}"}
        cases = [
            ("baseline: view inserting one row", "/bench/insert/", lambda: (b"", "text/plain"), {}, False),
            ("report + Idempotency-Key", "/api/v1/reports/", lambda: multipart_body(fields, None), auth, True),
            ("report, no key", "/api/v1/reports/", lambda: multipart_body(fields, None), auth, False),
        ]
        if args.photo:
            cases.append(("report + key, one 800px photo", "/api/v1/reports/", lambda: multipart_body(fields, photo), auth, True))
        load(port, "/bench/insert/", cases[0][2], {}, 2.0, args.clients)  # warm-up: imports, model, pool
        load(port, "/api/v1/reports/", cases[1][2], auth, 2.0, args.clients, True)
        results = {}
        for name, path, body, headers, idempotent in cases:
            sessions_before = pg_sessions(args.database_url) if args.postgres else 0
            rate, errors, lat = load(port, path, body, headers, args.seconds, args.clients, idempotent)
            sessions = (pg_sessions(args.database_url) - sessions_before) if args.postgres else None
            results[name] = rate
            p50, p99 = lat[len(lat) // 2] * 1000, lat[int(len(lat) * 0.99)] * 1000
            extra = f"  db sessions opened={sessions}" if sessions is not None else ""
            print(f"{name:<34} {rate:8.1f} req/s  p50={p50:6.1f} ms  p99={p99:7.1f} ms  errors={errors}{extra}")
        print("load average after:  {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))
        base_rate = results[cases[0][0]]
        for name in list(results)[1:]:
            print(f"ratio {name:<30} {results[name] / base_rate:.2f}x baseline")


if __name__ == "__main__":
    main()
