"""Start the real ASGI server on a free loopback port against a throwaway database."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextlib.contextmanager
def running_server(extra_env: dict[str, str] | None = None) -> Iterator[tuple[str, dict[str, str]]]:
    with tempfile.TemporaryDirectory() as var:
        env = {**os.environ, "EMBEDDED_DEFAULT": "true", "VAR_DIR": var, "DJANGO_SETTINGS_MODULE": "tests.bench.settings", "LOG_LEVEL": "WARNING"}
        env.update(extra_env or {})
        manage = [sys.executable, str(ROOT / "manage.py")]
        subprocess.run([*manage, "migrate", "-v0"], env=env, check=True, cwd=ROOT)
        subprocess.run([*manage, "load_reference_data"], env=env, check=True, cwd=ROOT, stdout=subprocess.DEVNULL)
        token = subprocess.run(
            [*manage, "issue_token", "+84905999000", "--role", "citizen"],
            env=env, check=True, cwd=ROOT, capture_output=True, text=True,
        ).stdout.split()[-1]
        port = free_port()
        proc = subprocess.Popen(
            [sys.executable, "-m", "uvicorn", "backend.asgi:application", "--host", "127.0.0.1",
             "--port", str(port), "--log-level", "warning", "--no-access-log", "--lifespan", "off"],
            env=env, cwd=ROOT,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            for _ in range(200):
                try:
                    urllib.request.urlopen(f"{base}/api/v1/health/", timeout=1)
                    break
                except Exception:
                    time.sleep(0.05)
            yield base, {"token": token}
        finally:
            proc.terminate()
            proc.wait(timeout=10)
