"""Start the real servers on free loopback ports against a throwaway database (benchmarks, CI tests).

SQLite by default (a temporary file); with ``database_url`` a PostgreSQL database that is dropped and
created afresh (never `hue`: pass your own, e.g. ``postgres://hue:hue@127.0.0.1:5432/hue_NAME_bench``).
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def recreate_postgres_database(url: str) -> None:
    """Drop and create the database named in ``url`` (connecting to the server's `postgres` database)."""
    import psycopg

    name = urlparse(url).path.lstrip("/")
    if name in {"", "hue", "postgres"}:
        raise ValueError(f"refusing to recreate database {name!r}: use a throwaway one")
    admin = urlparse(url)._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def server_command(kind: str, port: int, workers: int) -> list[str]:
    if kind == "uvicorn":
        return [sys.executable, "-m", "uvicorn", "backend.asgi:application", "--host", "127.0.0.1",
                "--port", str(port), "--workers", str(workers), "--log-level", "warning", "--no-access-log",
                "--lifespan", "off", "--timeout-graceful-shutdown", "5"]
    if kind == "gunicorn":
        return [sys.executable, "-m", "gunicorn", "backend.wsgi:application", "--bind", f"127.0.0.1:{port}",
                "--workers", str(workers), "--log-level", "warning"]
    raise ValueError(kind)


def wait_healthy(base: str, proc: subprocess.Popen[bytes], seconds: float = 60.0) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode}")
        try:
            urllib.request.urlopen(f"{base}/api/v1/health/live/", timeout=1)
            return
        except Exception:
            time.sleep(0.1)
    raise RuntimeError(f"{base} did not answer within {seconds:.0f} s")


def prepare(env: dict[str, str]) -> str:
    """Migrate, load reference data, return a citizen token."""
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "-v0"], env=env, check=True, cwd=ROOT)
    subprocess.run([*manage, "load_reference_data"], env=env, check=True, cwd=ROOT, stdout=subprocess.DEVNULL)
    return subprocess.run(
        [*manage, "issue_token", "+84905999000", "--role", "citizen"],
        env=env, check=True, cwd=ROOT, capture_output=True, text=True,
    ).stdout.split()[-1]


def base_env(var: str, extra_env: dict[str, str] | None) -> dict[str, str]:
    env = {**os.environ, "EMBEDDED_DEFAULT": "true", "VAR_DIR": var, "DJANGO_SETTINGS_MODULE": "tests.bench.settings",
           "LOG_LEVEL": "WARNING", "ENV_FILE": "",
           # A benchmark submits thousands of reports as a few citizens: the per-citizen limits (tested
           # in the suite) would measure refusals instead of intake.
           "REPORTS_PER_USER_PER_HOUR": "1000000000", "REPORTS_PER_USER_PER_DAY": "1000000000",
           # Counters of this run's servers only (they share it), not an earlier run's on the same Redis.
           "CACHE_KEY_PREFIX": f"run-{uuid.uuid4().hex[:12]}"}
    env.pop("DATABASE_URL", None)
    env.pop("REDIS_URL", None)
    env.update(extra_env or {})
    return env


@contextlib.contextmanager
def running_server(
    extra_env: dict[str, str] | None = None, *, kind: str = "uvicorn", workers: int = 1
) -> Iterator[tuple[str, dict[str, str]]]:
    with tempfile.TemporaryDirectory() as var:
        env = base_env(var, extra_env)
        if env.get("DATABASE_URL", "").startswith("postgres"):
            recreate_postgres_database(env["DATABASE_URL"])
        token = prepare(env)
        port = free_port()
        proc = subprocess.Popen(server_command(kind, port, workers), env=env, cwd=ROOT)
        base = f"http://127.0.0.1:{port}"
        try:
            wait_healthy(base, proc)
            yield base, {"token": token}
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=10)
