from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "Serve API, dashboards and websockets with the ASGI server (uvicorn)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--workers", type=int, default=1)

    def handle(self, *args: Any, **options: Any) -> None:
        import uvicorn

        host, port = options["host"], options["port"]
        self.stdout.write(f"Serving on http://{host}:{port}/  (API docs: /api/docs/, admin: /admin/)")
        uvicorn.run(
            "backend.asgi:application",
            host=host,
            port=port,
            workers=options["workers"],
            log_level="info",
            lifespan="off",
        )
