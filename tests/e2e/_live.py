"""For the browser tests and the screenshots: the real ASGI server (uvicorn, subprocess, free loopback port, throwaway database)
driven by the system's Chromium through Playwright.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
GEOJSON = ROOT.parent / "shared" / "data" / "geo" / "hue_wards_communes_2025.geojson"
CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
PASSWORD = "e2e-Passw0rd!"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def jpeg_bytes(width: int = 1200, height: int = 900, seed: int = 0) -> bytes:
    """A photo-like JPEG (a dark pothole on grey asphalt), made here: tests ship no image files."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (width, height), (118 + seed % 7, 122, 116))
    draw = ImageDraw.Draw(image)
    for i in range(120):
        x, y = (i * 97 + seed * 31) % width, (i * 53 + seed * 17) % height
        draw.ellipse([x, y, x + 6 + i % 30, y + 4 + i % 20], fill=(90 + i % 60, 92 + i % 60, 88 + i % 60))
    draw.ellipse([width * 0.3, height * 0.4, width * 0.7, height * 0.7], fill=(48, 44, 40))
    draw.ellipse([width * 0.34, height * 0.44, width * 0.66, height * 0.66], fill=(70, 92, 112))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85)
    return out.getvalue()


@dataclass
class LiveServer:
    url: str
    env: dict[str, str]
    citizen_token: str
    operator_token: str
    log_path: Path | None = None

    def otp_code(self, phone: str, timeout: float = 10.0) -> str:
        """The last one-time code "sent" to `phone`: the embedded default writes SMS to the server log."""
        assert self.log_path is not None
        pattern = re.compile(rf"SMS to {re.escape(phone)}: \D*(\d{{6}})")
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = pattern.findall(self.log_path.read_text(errors="replace"))
            if found:
                return str(found[-1])
            time.sleep(0.1)
        raise AssertionError(f"no SMS to {phone} in the server log")

    def manage(self, *args: str) -> str:
        return subprocess.run(
            [sys.executable, str(ROOT / "manage.py"), *args], env=self.env, cwd=ROOT, check=True,
            capture_output=True, text=True,
        ).stdout

    def request(self, method: str, path: str, *, token: str, body: dict[str, Any] | None = None,
                multipart: dict[str, str] | None = None, photos: list[bytes] | None = None) -> dict[str, Any]:
        headers = {"Authorization": f"Token {token}", "Accept": "application/json"}
        data = None
        if multipart is not None:
            boundary = uuid.uuid4().hex
            parts = [
                f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode()
                for k, v in multipart.items()
            ]
            for i, photo in enumerate(photos or []):
                parts.append(
                    f'--{boundary}\r\nContent-Disposition: form-data; name="photos"; filename="p{i}.jpg"\r\n'
                    f"Content-Type: image/jpeg\r\n\r\n".encode() + photo + b"\r\n"
                )
            data = b"".join(parts) + f"--{boundary}--\r\n".encode()
            headers["Content-Type"] = f"multipart/form-data; boundary={boundary}"
        elif body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        req = urllib.request.Request(self.url + path, data=data, method=method, headers=headers)
        try:
            with urllib.request.urlopen(req, timeout=30) as res:
                return json.loads(res.read() or b"{}")
        except urllib.error.HTTPError as exc:
            raise AssertionError(f"{method} {path} -> {exc.code}: {exc.read()[:500]!r}") from exc

    def submit(self, description: str, lat: float = 16.4698, lon: float = 107.5786, *,
               photos: list[bytes] | None = None, token: str | None = None) -> dict[str, Any]:
        return self.request(
            "POST", "/api/v1/reports/", token=token or self.citizen_token,
            multipart={"description": description, "latitude": str(lat), "longitude": str(lon)}, photos=photos,
        )


def _staff_script() -> str:
    return (
        "from backend.accounts.services import user_ensure\n"
        "for name, role, agency in [('ops-e2e', 'operator', None), ('huewaco-e2e', 'agency', 'huewaco'),"
        " ('hepco-e2e', 'agency', 'hepco'), ('transport-e2e', 'agency', 'transport'), ('health-e2e', 'agency', 'health')]:\n"
        "    u = user_ensure(username=name, role=role, agency_code=agency)\n"
        f"    u.set_password({PASSWORD!r}); u.first_name = name.split('-')[0].upper(); u.save()\n"
    )


@contextlib.contextmanager
def running_e2e_server(*, demo: bool = False) -> Iterator[LiveServer]:
    with tempfile.TemporaryDirectory() as var:
        env = {
            **os.environ, "EMBEDDED_DEFAULT": "true", "VAR_DIR": var, "LOG_LEVEL": "WARNING",
            "REALTIME_HEARTBEAT_SECONDS": "2",
            # Abuse-limit counters of this server only: an earlier run's on the same Redis would refuse it.
            "CACHE_KEY_PREFIX": f"e2e-{uuid.uuid4().hex[:12]}",
        }
        env.pop("DATABASE_URL", None)  # a throwaway SQLite file, whatever the surrounding run uses
        port = _free_port()
        env["PUBLIC_BASE_URL"] = f"http://127.0.0.1:{port}"  # media URLs in answers point at this server
        # As `make run`: one-time codes go to the server log, where otp_code() reads them (the test
        # settings' in-memory sender lives in another process).
        env["SMS_SENDER"] = "backend.accounts.sms.LogSmsSender"
        server = LiveServer(url="", env=env, citizen_token="", operator_token="")
        server.manage("migrate", "-v0")
        server.manage("load_reference_data")
        if GEOJSON.exists():
            server.manage("import_areas", str(GEOJSON))
        server.manage("shell", "-c", _staff_script())
        if demo:
            server.manage("seed_demo")
        server.citizen_token = server.manage("issue_token", "+84905777111", "--role", "citizen").split()[-1]
        server.operator_token = server.manage("issue_token", "ops-e2e", "--role", "operator").split()[-1]
        server.log_path = Path(var) / "server.log"
        log_file = server.log_path.open("w")
        proc = subprocess.Popen(
            [sys.executable, "-m", "uvicorn", "backend.asgi:application", "--host", "127.0.0.1", "--port", str(port),
             "--log-level", "warning", "--no-access-log", "--lifespan", "off", "--timeout-graceful-shutdown", "5"],
            env=env, cwd=ROOT, stdout=log_file, stderr=subprocess.STDOUT,
        )
        server.url = f"http://127.0.0.1:{port}"
        try:
            for _ in range(300):
                try:
                    urllib.request.urlopen(f"{server.url}/api/v1/health/", timeout=1)
                    break
                except Exception:
                    if proc.poll() is not None:
                        raise RuntimeError("server exited") from None
                    time.sleep(0.05)
            yield server
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                # Past the graceful limit above, on a loaded machine: the throwaway server goes anyway.
                proc.kill()
                proc.wait(timeout=10)
            log_file.close()




def login(browser: Any, server: LiveServer, username: str, page_path: str, *, lang: str = "vi",
          viewport: tuple[int, int] = (1500, 950), phone: bool = False) -> tuple[Any, Any]:
    context = browser.new_context(
        viewport={"width": viewport[0], "height": viewport[1]}, locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh",
        is_mobile=phone, has_touch=phone, device_scale_factor=2 if phone else 1,
    )
    page = context.new_page()
    page.add_init_script(f"localStorage.setItem('hue.lang', '{lang}')")
    page.goto(f"{server.url}{page_path}")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"**{page_path}")
    page.wait_for_selector("#conn.conn-live", timeout=15_000)
    return context, page
