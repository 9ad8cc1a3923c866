"""Two server processes on one PostgreSQL and one Redis, as the production shape runs them.

- a websocket on the first server receives a report submitted to the second (Redis channel layer);
- a triage model promoted through the first is used by the second within TRIAGE_MODEL_CHECK_SECONDS
  (1 s here) plus its load time: the test allows 15 s in all.

Runs in CI's PostgreSQL + Redis pass (.ci/run sets CI_SERVICES there): a missing service is then a
failure. Elsewhere it needs DATABASE_URL=postgres://... and REDIS_URL, else it is skipped.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlparse

import pytest

from tests.bench._server import (
    ROOT,
    base_env,
    free_port,
    prepare,
    recreate_postgres_database,
    server_command,
    wait_healthy,
)
from tests.deploy._models import models_with_twin

PROMOTION_DEADLINE_S = 15.0
CHECK_SECONDS = "1"


def _services() -> tuple[str, str]:
    database, redis = os.environ.get("DATABASE_URL", ""), os.environ.get("REDIS_URL", "")
    required = os.environ.get("CI") == "true" and bool(os.environ.get("CI_SERVICES"))
    if not (database.startswith("postgres") and redis):
        if required:
            pytest.fail("CI_SERVICES is set but DATABASE_URL (PostgreSQL) or REDIS_URL is not")
        pytest.skip("needs DATABASE_URL=postgres://... and REDIS_URL (CI's PostgreSQL + Redis pass)")
    try:
        import psycopg
        import redis as redis_client

        with psycopg.connect(urlparse(database)._replace(path="/postgres").geturl(), connect_timeout=5):
            pass
        redis_client.Redis.from_url(redis, socket_timeout=5).ping()
    except Exception as failure:  # a service that is configured but down fails, never skips
        pytest.fail(f"PostgreSQL or Redis unreachable: {failure}")
    return database, redis


def _request(base: str, path: str, token: str, body: dict | None = None, multipart: bool = False) -> tuple[int, dict]:
    from backend.reports.simulator import multipart_body

    content_type = "application/json"
    data = json.dumps(body).encode() if body is not None else None
    if multipart and body is not None:
        data, content_type = multipart_body({k: str(v) for k, v in body.items()}, None)
    request = urllib.request.Request(f"{base}{path}", data=data, method="POST" if data else "GET",
                                     headers={"Authorization": f"Token {token}", "Content-Type": content_type,
                                              "Idempotency-Key": uuid.uuid4().hex})
    with urllib.request.urlopen(request, timeout=30) as response:
        return response.status, json.loads(response.read())


@pytest.fixture(scope="module")
def two_servers() -> Iterator[dict]:
    database, redis = _services()
    name = urlparse(database).path.lstrip("/") or "hue"
    database = urlparse(database)._replace(path=f"/{name}_two_servers").geturl()
    recreate_postgres_database(database)
    with tempfile.TemporaryDirectory() as var:
        versions = models_with_twin(Path(var) / "models" / "triage")
        env = base_env(var, {"DATABASE_URL": database, "REDIS_URL": redis, "ML_MODELS_DIR": str(Path(var) / "models"),
                             "TRIAGE_MODEL_CHECK_SECONDS": CHECK_SECONDS, "PERIODIC_IN_PROCESS": "false"})
        citizen = prepare(env)
        manage = [sys.executable, str(ROOT / "manage.py")]
        operator = subprocess.run([*manage, "issue_token", "ops-two-servers", "--role", "operator"], env=env,
                                  check=True, cwd=ROOT, capture_output=True, text=True).stdout.split()[-1]
        processes, bases = [], []
        try:
            for _ in range(2):
                port = free_port()
                processes.append(subprocess.Popen(server_command("uvicorn", port, 1), env=env, cwd=ROOT))
                bases.append(f"http://127.0.0.1:{port}")
            for base, process in zip(bases, processes, strict=True):
                wait_healthy(base, process)
            yield {"first": bases[0], "second": bases[1], "citizen": citizen, "operator": operator, "env": env,
                   "versions": versions}
        finally:
            for process in processes:
                process.terminate()
            for process in processes:
                process.wait(timeout=20)


def test_both_servers_run_on_the_shared_services(two_servers):
    for base in (two_servers["first"], two_servers["second"]):
        _, health = _request(base, "/api/v1/health/", two_servers["operator"])
        assert health["status"] == "ok"
        assert (health["engines"]["database"], health["engines"]["database_pool"], health["engines"]["channel_layer"],
                health["engines"]["cache"]) == ("postgresql", "psycopg", "redis", "redis")


def test_a_socket_on_the_first_server_receives_a_report_submitted_to_the_second(two_servers):
    from websockets.sync.client import connect

    # given the full health check ran on both (it once bound the Redis layer's receiver to a dead loop)
    for base in (two_servers["first"], two_servers["second"]):
        assert _request(base, "/api/v1/health/", two_servers["operator"])[1]["channel_layer"] == "ok"
    url = two_servers["first"].replace("http://", "ws://") + f"/ws/ops/?token={two_servers['operator']}"
    with connect(url, open_timeout=15) as socket:
        hello = json.loads(socket.recv(timeout=15))
        assert hello["type"] == "hello"
        # when a citizen submits through the second server
        status, report = _request(two_servers["second"], "/api/v1/reports/", two_servers["citizen"],
                                  {"description": "Cây đổ chắn ngang đường Lê Lợi, xe không qua được",
                                   "latitude": 16.4637, "longitude": 107.5909}, multipart=True)
        assert status == 201
        # then the operator's socket on the first server gets it
        deadline = time.monotonic() + 15
        while True:
            message = json.loads(socket.recv(timeout=max(0.1, deadline - time.monotonic())))
            if message["type"] == "report.created" and message["data"]["id"] == report["id"]:
                break
        assert message["seq"] > hello["seq"]


def test_a_model_promoted_through_the_first_is_used_by_the_second(two_servers):
    older, newer = two_servers["versions"]
    text = {"description": "Đèn đường hỏng cả dãy phố Trần Hưng Đạo, tối om"}
    _, before = _request(two_servers["second"], "/api/v1/ops/triage/", two_servers["operator"], text)
    assert before["model_version"] == newer
    # when an operator promotes the older version with the first server's configuration
    subprocess.run([sys.executable, str(ROOT / "manage.py"), "promote_triage_model", older],
                   env=two_servers["env"], cwd=ROOT, check=True, capture_output=True)
    # then within the stated time both servers classify with it (each checks every CHECK_SECONDS)
    deadline = time.monotonic() + PROMOTION_DEADLINE_S
    while True:
        _, after = _request(two_servers["second"], "/api/v1/ops/triage/", two_servers["operator"], text)
        _, first = _request(two_servers["first"], "/api/v1/health/", two_servers["operator"])
        if (after["model_version"], first["model_version"]) == (older, older) or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    assert (after["model_version"], first["model_version"]) == (older, older)
