"""Whole-system load test with Locust: citizens, operators and dashboard sockets against real servers.

Run (loopback only, bounded in time; PostgreSQL + Redis like production, or --embedded):
    .venv/bin/python tests/bench/bench_load.py --users 100 --seconds 60 --sockets 500 --workers 2
    .venv/bin/python tests/bench/bench_load.py --users 400 --spawn-rate 40 --seconds 60   # past capacity
        [--embedded] [--admission 32] [--database-url ...] [--redis-url ...]

Prints per request type: requests, failures (503/429 refusals are counted, then retried with the same
Idempotency-Key as the app does), throughput, p50/p99; the sockets (connected, report.created
messages received); the servers' peak memory; and whether every accepted report is in the database.
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.bench._server import (  # noqa: E402
    ROOT,
    base_env,
    free_port,
    prepare,
    recreate_postgres_database,
    server_command,
    wait_healthy,
)

PHOTO = next(iter(sorted((ROOT / ".." / "shared" / "data" / "photos").glob("*.jpg"))))
TOKENS_SCRIPT = """
from backend.accounts.models import Role, User
from backend.accounts.services import user_ensure
from backend.accounts.tokens import token_issue
citizens = [token_issue(user=User.objects.get_or_create(username=f"citizen:+8490588{i:04d}", defaults={"phone": f"+8490588{i:04d}", "role": Role.CITIZEN})[0]) for i in range(50)]
operators = [token_issue(user=user_ensure(username=f"load-op{i}", role="operator")) for i in range(5)]
print(",".join(citizens)); print(",".join(operators))
"""


class Sockets:
    """N operator dashboards connected to /ws/ops/, counting the report.created messages they get."""

    def __init__(self, url: str, count: int) -> None:
        self.url, self.count = url, count
        self.connected = self.failed = self.created = 0
        self.stop = threading.Event()
        self.thread = threading.Thread(target=lambda: asyncio.run(self._run()), daemon=True)

    async def _one(self) -> None:
        import websockets

        try:
            async with websockets.connect(self.url, open_timeout=30, max_queue=None) as socket:
                self.connected += 1
                while not self.stop.is_set():
                    try:
                        message = json.loads(await asyncio.wait_for(socket.recv(), timeout=1))
                    except TimeoutError:
                        continue
                    if message.get("type") == "report.created":
                        self.created += 1
        except Exception:
            self.failed += 1

    async def _run(self) -> None:
        await asyncio.gather(*(self._one() for _ in range(self.count)))


def rss_mib(pid: int) -> float:
    import psutil

    try:
        parent = psutil.Process(pid)
        return sum(p.memory_info().rss for p in [parent, *parent.children(recursive=True)]) / 2**20
    except psutil.NoSuchProcess:
        return 0.0


def reports_in_database(env: dict[str, str]) -> int:
    out = subprocess.run([sys.executable, str(ROOT / "manage.py"), "shell", "-c",
                          "from backend.reports.models import Report; print(Report.objects.count())"],
                         env=env, cwd=ROOT, capture_output=True, text=True, check=True)
    return int(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--users", type=int, default=100)
    parser.add_argument("--spawn-rate", type=float, default=20)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--sockets", type=int, default=500)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--admission", type=int, default=None, help="ADMISSION_MAX_INFLIGHT per process")
    parser.add_argument("--embedded", action="store_true", help="SQLite + in-memory layer (forces 1 worker)")
    parser.add_argument("--database-url", default="postgres://hue:hue@127.0.0.1:5432/hue_prod_bench")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/3")
    args = parser.parse_args()
    workers = 1 if args.embedded else args.workers
    with tempfile.TemporaryDirectory() as var:
        extra = {} if args.embedded else {"DATABASE_URL": args.database_url, "REDIS_URL": args.redis_url}
        if args.admission is not None:
            extra["ADMISSION_MAX_INFLIGHT"] = str(args.admission)
        env = base_env(var, extra)
        if not args.embedded:
            recreate_postgres_database(args.database_url)
        prepare(env)
        tokens = subprocess.run([sys.executable, str(ROOT / "manage.py"), "shell", "-c", TOKENS_SCRIPT], env=env,
                                cwd=ROOT, capture_output=True, text=True, check=True).stdout.strip().splitlines()
        citizens, operators = tokens[-2], tokens[-1]
        port = free_port()
        server = subprocess.Popen(server_command("uvicorn", port, workers), env=env, cwd=ROOT)
        base = f"http://127.0.0.1:{port}"
        try:
            wait_healthy(base, server)
            sockets = Sockets(base.replace("http", "ws") + f"/ws/ops/?token={operators.split(',')[0]}", args.sockets)
            sockets.thread.start()
            time.sleep(min(30.0, 2 + args.sockets / 100))
            peak = [rss_mib(server.pid)]
            sampling = threading.Event()

            def sample() -> None:
                while not sampling.wait(1.0):
                    peak.append(rss_mib(server.pid))

            threading.Thread(target=sample, daemon=True).start()
            prefix = Path(var) / "locust"
            load_env = {**os.environ, "LOAD_CITIZEN_TOKENS": citizens, "LOAD_OPERATOR_TOKENS": operators,
                        "LOAD_PHOTO": str(PHOTO)}
            with open(f"{prefix}.log", "w") as log:
                locust = subprocess.run(
                    [sys.executable, "-m", "locust", "-f", str(ROOT / "tests" / "bench" / "locustfile.py"),
                     "--headless", "-u", str(args.users), "-r", str(args.spawn_rate), "-t", f"{args.seconds}s",
                     "--host", base, "--csv", str(prefix), "--only-summary", "--stop-timeout", "10"],
                    env=load_env, cwd=ROOT, check=False, stdout=log, stderr=log)
            if not Path(f"{prefix}_stats.csv").exists():
                raise SystemExit(f"locust failed ({locust.returncode}):\n" + Path(f"{prefix}.log").read_text()[-3000:])
            sampling.set()
            sockets.stop.set()
            sockets.thread.join(timeout=30)
            rows = list(csv.DictReader(Path(f"{prefix}_stats.csv").read_text().splitlines()))
            profile = "embedded (SQLite, in-memory)" if args.embedded else "PostgreSQL + Redis"
            print(f"{profile}, uvicorn x{workers}, {args.users} users (9:1 citizens:operators), {args.seconds} s, "
                  f"{args.sockets} dashboard sockets")
            print(f"{'request':<44}{'count':>7}{'fail':>6}{'req/s':>8}{'p50 ms':>8}{'p99 ms':>8}")
            accepted = 0
            for row in rows:
                print(f"{row['Name'][:43]:<44}{row['Request Count']:>7}{row['Failure Count']:>6}"
                      f"{float(row['Requests/s']):>8.1f}{row['50%']:>8}{row['99%']:>8}")
                if row["Name"].startswith("POST /api/v1/reports/"):
                    accepted += int(row["Request Count"]) - int(row["Failure Count"])
            failures = list(csv.DictReader(Path(f"{prefix}_failures.csv").read_text().splitlines()))
            for failure in failures[:8]:
                print(f"  failure: {failure['Name']}: {failure['Error'][:80]} x{failure['Occurrences']}")
            stored = reports_in_database(env)
            print(f"sockets: {sockets.connected} connected, {sockets.failed} failed, "
                  f"{sockets.created} report.created messages received")
            print(f"server memory (all workers): peak {max(peak):.0f} MiB")
            print(f"reports accepted (2xx) {accepted}, in the database {stored}: "
                  f"{'none lost' if stored >= accepted else f'{accepted - stored} LOST'}")
        finally:
            server.terminate()
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:  # sockets still closing: do not leave it behind
                server.kill()
                server.wait(timeout=10)


if __name__ == "__main__":
    main()
