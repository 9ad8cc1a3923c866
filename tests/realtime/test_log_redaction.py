"""A `?token=` in a websocket or HTTP URL never reaches a log line, uvicorn's access log included."""

from __future__ import annotations

import asyncio
import logging
import socket

import pytest

from backend.core.log_redaction import RedactSecrets as RedactQuerySecrets
from backend.core.log_redaction import redact_query_secrets as redact


def test_redact_rewrites_every_credential_parameter_and_nothing_else():
    assert redact("/ws/ops/?token=abc.D-_E&after=3") == "/ws/ops/?token=[redacted]&after=3"
    assert redact("/ws/ops/?after=3&TOKEN=abc") == "/ws/ops/?after=3&TOKEN=[redacted]"
    assert redact("/open311/v2/requests.json?api_key=k1;x=2") == "/open311/v2/requests.json?api_key=[redacted];x=2"
    assert redact("/x?mytoken=abc&tokens=2") == "/x?mytoken=abc&tokens=2"


def _record(msg, args):
    return logging.LogRecord("uvicorn.access", logging.INFO, __file__, 1, msg, args, None)


def test_the_filter_keeps_the_shape_of_uvicorns_access_record():
    # uvicorn's AccessFormatter unpacks exactly these five arguments
    record = _record('%s - "%s %s HTTP/%s" %d', ("127.0.0.1:5", "GET", "/api/v1/health/?token=s3cret", "1.1", 200))
    assert RedactQuerySecrets().filter(record) is True
    # (and the client's address keeps its network only: backend/core/log_redaction.py)
    assert record.args == ("127.0.0.0/24", "GET", "/api/v1/health/?token=[redacted]", "1.1", 200)
    assert record.getMessage() == '127.0.0.0/24 - "GET /api/v1/health/?token=[redacted] HTTP/1.1" 200'


def test_the_filter_redacts_a_secret_in_the_message_itself():
    record = _record("connect /ws/ops/?token=s3cret from %s", ("1.2.3.4",))
    RedactQuerySecrets().filter(record)
    assert record.getMessage() == "connect /ws/ops/?token=[redacted] from 1.2.3.4"


class Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__()
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(f"{record.name}: {record.getMessage()}")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.mark.django_db(transaction=True)
async def test_uvicorn_logs_websocket_and_http_urls_without_the_token(people, settings):
    import urllib.request

    import uvicorn
    import websockets

    settings.REALTIME_GC_THRESHOLD = 0  # importing the server's module must not retune this test process
    from backend.asgi import application

    _, tokens = people
    secret = tokens["operator"]
    port = _free_port()
    # the server as `manage.py serve` runs it: uvicorn's own logging config, access log on
    server = uvicorn.Server(uvicorn.Config(application, host="127.0.0.1", port=port, lifespan="off",
                                           log_level="info", access_log=True))
    collected = Collect()
    for name in ("uvicorn.access", "uvicorn.error"):
        logging.getLogger(name).addHandler(collected)
    serving = asyncio.create_task(server.serve())
    try:
        while not server.started:
            await asyncio.sleep(0.02)
        # when a native client opens a socket with ?token= and a request carries one too
        async with websockets.connect(f"ws://127.0.0.1:{port}/ws/ops/?token={secret}&after=0") as ws:
            assert '"type":"hello"' in await asyncio.wait_for(ws.recv(), 5)
        await asyncio.to_thread(urllib.request.urlopen, f"http://127.0.0.1:{port}/api/v1/health/?token={secret}")
    finally:
        server.should_exit = True
        await asyncio.wait_for(serving, 10)
        for name in ("uvicorn.access", "uvicorn.error"):
            logging.getLogger(name).removeHandler(collected)
    # then both were logged, with the token redacted
    text = "\n".join(collected.lines)
    assert 'uvicorn.error: 127.0.0.0/24 - "WebSocket' in text and '"WebSocket /ws/ops/?token=[redacted]&after=0" [accepted]' in text
    assert '"GET /api/v1/health/?token=[redacted] HTTP/1.1" 200' in text
    assert secret not in text
