from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "Serve API, dashboards and websockets with the ASGI server (uvicorn)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--workers", type=int, default=1)
        parser.add_argument(
            "--no-periodic",
            action="store_true",
            help="do not run the periodic jobs (overdue, auto-close) in this process",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        import uvicorn

        host, port = options["host"], options["port"]
        # The embedded default has no separate worker: the periodic loop runs here, in a daemon
        # thread. Running it in several processes is safe (each report is claimed once).
        if settings.PERIODIC_IN_PROCESS and not options["no_periodic"]:
            from backend.reports.services.periodic import start_in_thread

            start_in_thread()
            self.stdout.write(f"Periodic jobs: every {settings.PERIODIC_INTERVAL_SECONDS:g}s in this process")
        self.stdout.write(f"Serving on http://{host}:{port}/  (API docs: /api/docs/, admin: /admin/)")
        uvicorn.run(
            "backend.asgi:application",
            host=host,
            port=port,
            workers=options["workers"],
            log_level="info",
            lifespan="off",
            # Compressing every event once per socket was 40% of a fan-out's CPU (docs/realtime.md).
            ws_per_message_deflate=False,
            # Stopping must not wait on a socket's consumer still blocked on the channel layer.
            timeout_graceful_shutdown=5,
        )
