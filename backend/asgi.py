"""ASGI entry point: HTTP through Django, websockets through Channels (realtime's consumers)."""

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "backend.settings")

from channels.routing import ProtocolTypeRouter  # noqa: E402
from django.core.asgi import get_asgi_application  # noqa: E402

django_asgi_app = get_asgi_application()

from backend.core.body_limit import AsgiBodyLimit  # noqa: E402
from backend.core.log_redaction import install_on_server_loggers  # noqa: E402
from realtime.publish import remember_server_loop  # noqa: E402
from realtime.routing import websocket_application  # noqa: E402  (needs the app registry ready)

install_on_server_loggers()  # no api_key, ?token= or full client address in the access log
# Oversized bodies are refused before Django spools them to disk (backend/core/body_limit.py).
router = ProtocolTypeRouter({"http": AsgiBodyLimit(django_asgi_app), "websocket": websocket_application()})


async def application(scope, receive, send):  # type: ignore[no-untyped-def]
    # Events are published onto the server's loop without blocking the request that caused them.
    remember_server_loop()
    await router(scope, receive, send)
