"""ASGI entry point: HTTP through Django, websockets through Channels (realtime's consumers)."""

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "backend.settings")

from channels.routing import ProtocolTypeRouter  # noqa: E402
from django.conf import settings  # noqa: E402
from django.core.asgi import get_asgi_application  # noqa: E402

django_asgi_app = get_asgi_application()

from backend.core.admission import AdmissionControl  # noqa: E402
from backend.core.body_limit import AsgiBodyLimit  # noqa: E402
from backend.core.log_redaction import install_on_server_loggers  # noqa: E402
from backend.core.metrics import count_websockets  # noqa: E402
from backend.core.model_watch import watch  # noqa: E402
from realtime.process import tune_gc  # noqa: E402
from realtime.publish import remember_server_loop  # noqa: E402
from realtime.routing import websocket_application  # noqa: E402  (needs the app registry ready)

install_on_server_loggers()  # no api_key, ?token= or full client address in the access log
watch(settings.TRIAGE_MODEL_CHECK_SECONDS)  # servers only: a promoted model reaches every process
# Past capacity, 503 at once before anything is read; oversized bodies are refused before Django
# spools them to disk (backend/core/body_limit.py).
http_app = AdmissionControl(
    AsgiBodyLimit(django_asgi_app),
    max_inflight=settings.ADMISSION_MAX_INFLIGHT,
    retry_after_seconds=settings.ADMISSION_RETRY_AFTER_SECONDS,
)
router = ProtocolTypeRouter({"http": http_app, "websocket": count_websockets(websocket_application())})
tune_gc()  # the loaded application leaves the garbage collector's scans (realtime/process.py)


async def application(scope, receive, send):  # type: ignore[no-untyped-def]
    # Events are published onto the server's loop without blocking the request that caused them.
    remember_server_loop()
    await router(scope, receive, send)
