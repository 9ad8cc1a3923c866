"""The websocket Origin check compares scheme, host and port (Django's CSRF rule), not the host alone.

Cookies are shared across ports and, without the Secure flag, across http and https of one host: a
page on http://testserver:8080 or http:// of an https site must not ride the operator's session.
"""

from __future__ import annotations

import pytest

from tests.realtime.conftest import receive, session_cookie
from tests.realtime.wscomm import WebsocketCommunicator

pytestmark = [pytest.mark.django_db(transaction=True)]


async def handshake(app, headers, *, token=None, scheme="ws"):
    comm = WebsocketCommunicator(app, "/ws/ops/" + (f"?token={token}" if token else ""), headers=headers)
    comm.scope["scheme"] = scheme
    connected, _ = await comm.connect(timeout=3)
    return comm, connected


def h(host: str, origin: str | None = None, **more: str) -> list[tuple[bytes, bytes]]:
    headers = [(b"host", host.encode())]
    if origin is not None:
        headers.append((b"origin", origin.encode()))
    headers += [(name.replace("_", "-").encode(), value.encode()) for name, value in more.items()]
    return headers


@pytest.mark.parametrize(
    ("host", "origin", "scheme"),
    [
        ("testserver", "http://testserver:8080", "ws"),  # another port of the same host
        ("testserver:8000", "http://testserver", "ws"),  # the page is on :8000, the origin on :80
        ("testserver", "https://testserver", "ws"),  # scheme differs (https page, plain socket)
        ("testserver", "http://testserver", "wss"),  # http page riding an https site's cookie
        ("evil.example", "http://evil.example", "ws"),  # same origin, but not one of ALLOWED_HOSTS
        ("testserver", "null", "ws"),
        ("testserver", "http://testserver.evil.example", "ws"),
    ],
)
async def test_an_origin_differing_in_scheme_host_or_port_is_refused_at_the_handshake(app, people, host, origin, scheme):
    _, tokens = people
    _, connected = await handshake(app, h(host, origin), token=tokens["operator"], scheme=scheme)
    assert connected is False


@pytest.mark.parametrize(
    ("host", "origin", "scheme"),
    [
        ("testserver", "http://testserver", "ws"),
        ("testserver", "http://testserver:80", "ws"),
        ("testserver:8000", "http://testserver:8000", "ws"),
        ("TestServer:8000", "http://testserver:8000", "ws"),
        ("testserver", "https://testserver", "wss"),
        ("testserver:443", "https://testserver", "wss"),
    ],
)
async def test_the_pages_own_origin_may_use_the_staff_session(app, people, host, origin, scheme):
    users, _ = people
    cookie = await session_cookie(users["operator"])
    comm, connected = await handshake(app, h(host, origin, cookie=cookie.decode()), scheme=scheme)
    assert connected
    assert (await receive(comm))["type"] == "hello"
    await comm.disconnect()


async def test_behind_a_tls_proxy_the_forwarded_scheme_counts_as_it_does_for_django(app, people, settings):
    users, _ = people
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    cookie = (await session_cookie(users["operator"])).decode()
    comm, connected = await handshake(app, h("ioc.example", "https://ioc.example", cookie=cookie, x_forwarded_proto="https"))
    assert connected is False  # ioc.example is not an allowed host yet
    settings.ALLOWED_HOSTS = ["ioc.example"]
    comm, connected = await handshake(app, h("ioc.example", "https://ioc.example", cookie=cookie, x_forwarded_proto="https"))
    assert connected and (await receive(comm))["type"] == "hello"
    await comm.disconnect()
    # without the header, the socket is plain http: an https page is another origin
    _, connected = await handshake(app, h("ioc.example", "https://ioc.example", cookie=cookie))
    assert connected is False


@pytest.mark.parametrize(
    ("origin", "allowed"),
    [
        ("https://ioc.hue.gov.vn", True),
        ("https://ioc.hue.gov.vn:443", True),
        ("https://ioc.hue.gov.vn:8443", False),
        ("http://ioc.hue.gov.vn", False),
        ("https://map.hue.gov.vn", True),  # the wildcard entry
        ("https://hue.gov.vn", True),
        ("http://map.hue.gov.vn", False),
        ("https://hue.gov.vn.evil.example", False),
    ],
)
async def test_csrf_trusted_origins_are_matched_in_scheme_host_and_port(app, people, settings, origin, allowed):
    settings.CSRF_TRUSTED_ORIGINS = ["https://ioc.hue.gov.vn", "https://*.hue.gov.vn"]
    _, tokens = people
    comm, connected = await handshake(app, h("testserver", origin), token=tokens["operator"])
    assert connected is allowed
    if connected:
        await comm.disconnect()
