"""ASGI entry point: HTTP through Django, websockets through Channels (realtime's consumers)."""

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "backend.settings")

from channels.routing import ProtocolTypeRouter  # noqa: E402
from django.core.asgi import get_asgi_application  # noqa: E402

django_asgi_app = get_asgi_application()

from realtime.process import tune_gc  # noqa: E402
from realtime.publish import remember_server_loop  # noqa: E402
from realtime.routing import websocket_application  # noqa: E402  (needs the app registry ready)

router = ProtocolTypeRouter({"http": django_asgi_app, "websocket": websocket_application()})
tune_gc()  # the loaded application leaves the garbage collector's scans (realtime/process.py)


async def application(scope, receive, send):  # type: ignore[no-untyped-def]
    # Events are published onto the server's loop without blocking the request that caused them.
    remember_server_loop()
    await router(scope, receive, send)
