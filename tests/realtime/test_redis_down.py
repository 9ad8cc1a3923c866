"""Redis down: citizens' reports are still accepted, and the dashboards get them by resume later."""

from __future__ import annotations

import pytest
from channels.layers import get_channel_layer

from tests.realtime.conftest import adb, connect, receive, receive_until

pytestmark = [pytest.mark.django_db(transaction=True)]


class _Down:
    def __getattr__(self, name):
        def fail(*args, **kwargs):
            raise ConnectionError("redis down")

        return fail


def _submit(token: str):
    from rest_framework.test import APIClient

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client.post(
        "/api/v1/reports/", {"description": "Cây đổ chắn đường Lê Lợi", "latitude": "16.4637", "longitude": "107.5909"},
        format="multipart",
    )


async def test_reports_are_accepted_while_redis_is_down_and_replayed_on_resume(app, people, monkeypatch):
    import backend.core.decode_slots as decode_slots
    import backend.core.limits as limits
    from realtime.models import EventLog

    users, tokens = people
    seen_before = await adb(lambda: EventLog.objects.order_by("-id").values_list("id", flat=True).first() or 0)()
    # given Redis gone: the channel layer cannot publish and the shared cache cannot count
    layer = get_channel_layer()

    async def down(*args, **kwargs):
        raise ConnectionError("redis down")

    monkeypatch.setattr(layer, "group_send", down)
    monkeypatch.setattr(limits, "cache", _Down())
    monkeypatch.setattr(decode_slots, "cache", _Down())
    # when a citizen submits, then the report is accepted (no live push could be made)
    response = await adb(_submit)(tokens["citizen"])
    assert response.status_code == 201
    report_id = response.json()["id"]
    # when Redis is back and the dashboard reconnects with the last sequence it saw
    monkeypatch.undo()
    comm, _ = await connect(app, "/ws/ops/", token=tokens["operator"])
    await receive(comm)  # hello
    await comm.send_json_to({"type": "resume", "after": seen_before})
    got = await receive_until(comm, "resumed")
    # then the report missed while Redis was down is delivered
    assert [(m["type"], m["data"]["id"]) for m in got[:-1]] == [("report.created", report_id)]
    await comm.disconnect()
