"""An open socket keeps its stream only while its credential and its user's access still hold.

Re-checked on every heartbeat and before every replay (the log holds everything the stream ever
carried): a revoked token, a deactivated user or an ended session are closed 4401; a changed role,
or an agency user moved to another agency, 4403 -- the codes a connect would get.
"""

from __future__ import annotations

import json

import pytest

from realtime.consumers import CLOSE_FORBIDDEN, CLOSE_UNAUTHENTICATED
from tests.realtime.conftest import adb, connect, make_report, receive

pytestmark = [pytest.mark.django_db(transaction=True)]


async def until_closed(comm) -> tuple[list[str], dict]:
    """The frames a socket gets before its close, and the close."""
    frames = []
    for _ in range(5):  # a socket that stays open keeps sending heartbeats: stop and fail then
        output = await comm.receive_output(timeout=5)
        if output["type"] == "websocket.close":
            return frames, output
        frames.append(json.loads(output["text"])["type"])
    return frames, {}


async def assert_lapses_within_one_heartbeat(comm, code: int) -> None:
    frames, close = await until_closed(comm)
    # A heartbeat that began its check before the change may still go out; the next one closes.
    assert frames in ([], ["heartbeat"])
    assert close == {"type": "websocket.close", "code": code}


@pytest.fixture
def fast_heartbeat(settings):
    settings.REALTIME_HEARTBEAT_SECONDS = 0.3


def _set(user, **fields):
    for name, value in fields.items():
        setattr(user, name, value)
    user.save(update_fields=list(fields))


async def test_a_revoked_token_loses_its_open_socket_at_the_next_heartbeat(app, people, fast_heartbeat):
    from backend.accounts.tokens import token_revoke

    users, tokens = people
    comm, _ = await connect(app, "/ws/ops/", token=tokens["operator"])
    assert (await receive(comm))["type"] == "hello"
    # when the token is revoked while the socket is open
    await adb(token_revoke)(key=tokens["operator"])
    # then the socket is closed 4401, and reports made afterwards never reach it
    await assert_lapses_within_one_heartbeat(comm, CLOSE_UNAUTHENTICATED)
    await adb(make_report)(users["citizen"])
    assert await comm.receive_nothing(timeout=0.3)


async def test_a_deactivated_user_loses_its_open_socket(app, people, fast_heartbeat):
    users, tokens = people
    comm, _ = await connect(app, "/ws/ops/", token=tokens["operator"])
    await receive(comm)
    await adb(_set)(users["operator"], is_active=False)
    await assert_lapses_within_one_heartbeat(comm, CLOSE_UNAUTHENTICATED)


async def test_an_operator_whose_role_changed_loses_the_operators_stream(app, people, fast_heartbeat):
    users, tokens = people
    comm, _ = await connect(app, "/ws/ops/", token=tokens["operator"])
    await receive(comm)
    await adb(_set)(users["operator"], role="citizen")
    await assert_lapses_within_one_heartbeat(comm, CLOSE_FORBIDDEN)


async def test_agency_staff_moved_to_another_agency_lose_the_old_agencys_stream(app, people, agencies, fast_heartbeat):
    users, tokens = people
    _, b = agencies
    moved, _ = await connect(app, "/ws/agency/", token=tokens["agency_a"])
    stays, _ = await connect(app, "/ws/agency/", token=tokens["agency_b"])
    await receive(moved), await receive(stays)
    # when staff A is moved to agency B
    await adb(_set)(users["agency_a"], agency=b)
    # then their socket on A's stream is closed; B's own staff keep theirs across heartbeats
    await assert_lapses_within_one_heartbeat(moved, CLOSE_FORBIDDEN)
    assert [(await receive(stays))["type"] for _ in range(2)] == ["heartbeat", "heartbeat"]
    await stays.disconnect()


async def test_a_citizens_socket_stays_open_while_nothing_changes(app, people, fast_heartbeat):
    users, tokens = people
    report = await adb(make_report)(users["citizen"])
    comm, _ = await connect(app, f"/ws/reports/{report.pk}/", token=tokens["citizen"])
    await receive(comm)
    assert [(await receive(comm))["type"] for _ in range(3)] == ["heartbeat"] * 3
    await comm.disconnect()


async def test_a_resume_after_revocation_replays_nothing_and_closes(app, people):
    from backend.accounts.tokens import token_revoke

    users, tokens = people
    for _ in range(3):
        await adb(make_report)(users["citizen"])
    comm, _ = await connect(app, "/ws/ops/", token=tokens["operator"])
    await receive(comm)
    await adb(token_revoke)(key=tokens["operator"])
    # when the socket asks for the whole log (heartbeats are a minute apart here)
    await comm.send_json_to({"type": "resume", "after": 0})
    # then it gets nothing of it: the close comes first
    assert await comm.receive_output(timeout=3) == {"type": "websocket.close", "code": CLOSE_UNAUTHENTICATED}


async def test_a_gap_repair_after_revocation_replays_nothing_and_closes(app, people, monkeypatch):
    from backend.accounts.tokens import token_revoke
    from realtime import publish

    users, tokens = people
    comm, _ = await connect(app, "/ws/ops/", token=tokens["operator"])
    await receive(comm)
    original, dropped = publish._send, []
    monkeypatch.setattr(publish, "_send", lambda items: dropped.append(items) if not dropped else original(items))
    # given an event the channel layer lost, and the token revoked after it
    await adb(make_report)(users["citizen"])
    await adb(token_revoke)(key=tokens["operator"])
    # when the next event reveals the gap, the repair would read the log: it closes instead
    await adb(make_report)(users["citizen"])
    assert len(dropped) == 1
    assert await comm.receive_output(timeout=3) == {"type": "websocket.close", "code": CLOSE_UNAUTHENTICATED}


async def test_a_role_change_before_a_resume_closes_4403(app, people):
    users, tokens = people
    await adb(make_report)(users["citizen"])
    comm, _ = await connect(app, "/ws/ops/", token=tokens["operator"])
    await receive(comm)
    await adb(_set)(users["operator"], role="citizen")
    await comm.send_json_to({"type": "resume", "after": 0})
    assert await comm.receive_output(timeout=3) == {"type": "websocket.close", "code": CLOSE_FORBIDDEN}


async def test_a_staff_session_ended_by_logout_loses_its_socket(app, people, fast_heartbeat):
    from django.test import Client

    users, _ = people
    client = Client()
    await adb(client.force_login)(users["operator"])
    cookie = f"sessionid={client.cookies['sessionid'].value}".encode()
    comm, _ = await connect(app, "/ws/ops/", extra_headers=[(b"cookie", cookie)])
    assert (await receive(comm))["type"] == "hello"
    # when the operator logs out in another tab (the session is deleted)
    await adb(client.logout)()
    await assert_lapses_within_one_heartbeat(comm, CLOSE_UNAUTHENTICATED)


async def test_a_staff_session_of_a_deactivated_user_loses_its_socket(app, people, fast_heartbeat):
    from django.test import Client

    users, _ = people
    client = Client()
    await adb(client.force_login)(users["agency_a"])
    cookie = f"sessionid={client.cookies['sessionid'].value}".encode()
    comm, _ = await connect(app, "/ws/agency/", extra_headers=[(b"cookie", cookie)])
    assert (await receive(comm))["type"] == "hello"
    await adb(_set)(users["agency_a"], is_active=False)
    await assert_lapses_within_one_heartbeat(comm, CLOSE_UNAUTHENTICATED)
