"""A websocket test client over asgiref's ApplicationCommunicator.

channels.testing.WebsocketCommunicator would do, but importing channels.testing pulls in daphne (for
its live server), which this project does not install; this is the same thing in a few lines.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import unquote, urlparse

from asgiref.testing import ApplicationCommunicator

# Every communicator a test opened; conftest closes them before the test's database is flushed, so
# no consumer is left mid-query holding a connection while PostgreSQL truncates the tables.
OPEN: list[WebsocketCommunicator] = []


class WebsocketCommunicator(ApplicationCommunicator):
    def __init__(self, application: Any, path: str, headers: list[tuple[bytes, bytes]] | None = None) -> None:
        parsed = urlparse(path)
        scope = {
            "type": "websocket",
            "path": unquote(parsed.path),
            "query_string": parsed.query.encode(),
            "headers": headers or [],
            "subprotocols": [],
        }
        super().__init__(application, scope)
        OPEN.append(self)

    async def connect(self, timeout: float = 1) -> tuple[bool, Any]:
        await self.send_input({"type": "websocket.connect"})
        response = await self.receive_output(timeout)
        if response["type"] == "websocket.close":
            return False, response.get("code", 1000)
        assert response["type"] == "websocket.accept", response
        return True, response.get("subprotocol")

    async def send_to(self, text_data: str) -> None:
        await self.send_input({"type": "websocket.receive", "text": text_data})

    async def send_json_to(self, data: Any) -> None:
        await self.send_to(json.dumps(data))

    async def receive_from(self, timeout: float = 1) -> str:
        response = await self.receive_output(timeout)
        assert response["type"] == "websocket.send", f"expected a frame, got {response}"
        return response["text"]

    async def disconnect(self, code: int = 1000, timeout: float = 1) -> None:
        await self.send_input({"type": "websocket.disconnect", "code": code})
        await self.wait(timeout)


async def close_all() -> None:
    while OPEN:
        comm = OPEN.pop()
        if comm.future.done():
            continue
        try:
            await comm.disconnect(timeout=2)
        except BaseException:  # already closed by the server, or stuck: make sure it ends
            comm.future.cancel()
