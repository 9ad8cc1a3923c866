"""Fixtures for the realtime tests: users per role, reports written through the real event hook,
and websocket clients talking to the real ASGI application."""

from __future__ import annotations

import json
from typing import Any

import pytest
from channels.db import database_sync_to_async

from tests.realtime.wscomm import WebsocketCommunicator

ORIGIN = (b"origin", b"http://testserver")
# A browser always sends Host; the page's own origin (scheme, host, port) is derived from it.
HOST = (b"host", b"testserver")


@pytest.fixture(autouse=True)
def _fast_realtime(settings):
    settings.REALTIME_AUTH_TIMEOUT = 0.3
    settings.REALTIME_HEARTBEAT_SECONDS = 60.0


@pytest.fixture(autouse=True)
async def _close_sockets(request):
    # Requesting the database helper first makes this teardown run before the database flush.
    if request.node.get_closest_marker("django_db"):
        request.getfixturevalue("_django_db_helper")
    yield
    from tests.realtime.wscomm import close_all

    await close_all()


@pytest.fixture
def app():
    from realtime.routing import websocket_application

    return websocket_application()


@pytest.fixture
def agencies(reference_data):
    from routing.models import Agency

    first, second = Agency.objects.filter(is_fallback=False).order_by("code")[:2]
    return first, second


@pytest.fixture
def people(reference_data, agencies, make_citizen):
    from backend.accounts.services import user_ensure
    from backend.accounts.tokens import token_issue

    a, b = agencies
    users = {
        "operator": user_ensure(username="op-rt", role="operator"),
        "agency_a": user_ensure(username="staff-a", role="agency", agency_code=a.code),
        "agency_b": user_ensure(username="staff-b", role="agency", agency_code=b.code),
        "citizen": make_citizen("+84905111222"),
        "other_citizen": make_citizen("+84905333444"),
    }
    tokens = {name: token_issue(user=user) for name, user in users.items()}
    return users, tokens


def make_report(reporter, *, agency=None, urgency="normal", alert=False, description="Ổ gà lớn trên đường Lê Lợi"):
    """Given a report written the way the intake service writes it (event in the same transaction)."""
    from django.db import transaction

    from backend.reports.services import events
    from tests.factories import make_report as report_row

    with transaction.atomic():
        report = report_row(
            reporter, status="assigned" if agency else "needs_review", agency=agency.code if agency else None,
            category="road_damage", urgency=urgency, description=description, latitude=16.4637, longitude=107.5909,
        )
        events.report_created(report, alert=alert)
    return report


def update_report(report, *, change="assigned", agency="keep", public=True, alert=False):
    from django.db import transaction

    from backend.reports.models import ReportEvent
    from backend.reports.services import events

    with transaction.atomic():
        if agency != "keep":
            report.agency = agency
            report.save(update_fields=["agency"])
        ReportEvent.objects.create(report=report, kind=ReportEvent.Kind.NOTE, note=change, is_public=public)
        events.report_updated(report, change=change, alert=alert)
    return report


async def connect(app, path: str, *, token: str | None = None, origin: bool = True, extra_headers=()):
    headers = [HOST, ORIGIN] if origin else [HOST]
    headers += list(extra_headers)
    if token is not None:
        sep = "&" if "?" in path else "?"
        path = f"{path}{sep}token={token}"
    comm = WebsocketCommunicator(app, path, headers=headers)
    connected, _ = await comm.connect(timeout=3)
    return comm, connected


async def receive(comm, timeout: float = 2) -> dict[str, Any]:
    return json.loads(await comm.receive_from(timeout=timeout))


async def receive_until(comm, kind: str, timeout: float = 3) -> list[dict[str, Any]]:
    """All messages up to and including the first of type `kind`."""
    out = []
    while True:
        message = await receive(comm, timeout)
        out.append(message)
        if message["type"] == kind:
            return out


async def events_only(comm, count: int, timeout: float = 3) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    while len(out) < count:
        message = await receive(comm, timeout)
        if message["type"] not in {"hello", "heartbeat", "resumed", "pong"}:
            out.append(message)
    return out


adb = database_sync_to_async


async def session_cookie(user) -> bytes:
    """The Cookie header of a browser where `user` is logged in."""
    from django.test import Client

    client = Client()
    await adb(client.force_login)(user)
    return f"sessionid={client.cookies['sessionid'].value}".encode()
