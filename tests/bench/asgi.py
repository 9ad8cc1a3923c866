"""The benchmark servers' ASGI application: backend/asgi.py's (imported, so the process is set up as
in production), with the bench consumer (its baseline message) on the websocket side and the bench
settings (tests/bench/settings.py)."""

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.bench.settings")

from channels.routing import ProtocolTypeRouter  # noqa: E402

from backend.asgi import django_asgi_app  # noqa: E402
from realtime.publish import remember_server_loop  # noqa: E402
from realtime.routing import websocket_application  # noqa: E402
from tests.bench.endpoints import BenchStreamConsumer  # noqa: E402

router = ProtocolTypeRouter({"http": django_asgi_app, "websocket": websocket_application(BenchStreamConsumer)})


async def application(scope, receive, send):  # type: ignore[no-untyped-def]
    remember_server_loop()
    await router(scope, receive, send)
