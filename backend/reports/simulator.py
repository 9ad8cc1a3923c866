"""Realistic citizen traffic through the real HTTP API: for demos, operator training and load.

Texts come from the labelled corpus (triage/data/reports.csv), points from around the ward centres,
and a share of submissions carry a real photo from ../shared/data/photos when it is there. Every
submission has an Idempotency-Key, and a share is retried with the same key, as flaky phones do.
"""

from __future__ import annotations

import csv
import http.client
import json
import random
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

REPO = Path(__file__).resolve().parents[2]
CORPUS = REPO / "triage" / "data" / "reports.csv"
PHOTOS = REPO.parent / "shared" / "data" / "photos"


@dataclass
class SimulationOutcome:
    sent: int = 0
    created: int = 0
    replayed: int = 0
    failed: int = 0
    statuses: dict[str, int] = field(default_factory=dict)


def multipart_body(fields: dict[str, str], photo: bytes | None) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        for name, value in fields.items()
    ]
    if photo is not None:
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="photos"; filename="photo.jpg"\r\n'
            "Content-Type: image/jpeg\r\n\r\n".encode() + photo + b"\r\n"
        )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def simulate(
    *,
    base_url: str,
    tokens: Sequence[str],
    centres: list[tuple[float, float]],
    count: int,
    rate: float,
    seed: int = 1,
    photo_share: float = 0.3,
    retry_share: float = 0.1,
    log: Callable[[str], None] = print,
) -> SimulationOutcome:
    rng = random.Random(seed)
    with CORPUS.open(encoding="utf-8") as fh:
        texts = [row["text"] for row in csv.DictReader(fh)]
    photos = [p.read_bytes() for p in sorted(PHOTOS.glob("*.jpg"))[:10]] if PHOTOS.exists() else []
    url = urlsplit(base_url)
    conn = http.client.HTTPConnection(url.hostname or "127.0.0.1", url.port or 80, timeout=30)
    outcome = SimulationOutcome()
    interval = 1.0 / rate if rate > 0 else 0.0
    next_at = time.monotonic()
    for number in range(count):
        lat, lon = rng.choice(centres)
        fields = {
            "description": rng.choice(texts),
            "latitude": f"{lat + rng.uniform(-0.006, 0.006):.6f}",
            "longitude": f"{lon + rng.uniform(-0.006, 0.006):.6f}",
        }
        photo = rng.choice(photos) if photos and rng.random() < photo_share else None
        body, content_type = multipart_body(fields, photo)
        key = uuid.UUID(int=rng.getrandbits(128)).hex
        attempts = 2 if rng.random() < retry_share else 1
        for _ in range(attempts):
            # Reports are spread over several simulated citizens, as real traffic is (and as the
            # per-citizen submission limits expect).
            token = tokens[number % len(tokens)]
            headers = {"Authorization": f"Token {token}", "Idempotency-Key": key, "Content-Type": content_type}
            try:
                conn.request("POST", "/api/v1/reports/", body=body, headers=headers)
                response = conn.getresponse()
                payload = json.loads(response.read() or b"{}")
            except (OSError, http.client.HTTPException, ValueError) as exc:
                outcome.failed += 1
                log(f"#{number}: {exc}")
                conn.close()
                continue
            outcome.sent += 1
            if response.status == 201:
                outcome.created += 1
                status = payload.get("status", "?")
                outcome.statuses[status] = outcome.statuses.get(status, 0) + 1
            elif response.status == 200:
                outcome.replayed += 1
            else:
                outcome.failed += 1
                log(f"#{number}: HTTP {response.status} {payload}")
        next_at += interval
        time.sleep(max(0.0, next_at - time.monotonic()))
    conn.close()
    return outcome
