from __future__ import annotations

import signal
import threading
from dataclasses import asdict
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from backend.reports.services import periodic


class Command(BaseCommand):
    help = (
        "Periodic jobs: escalate overdue reports, auto-close resolved reports nobody rated, purge old "
        "idempotency keys. Loops every PERIODIC_INTERVAL_SECONDS; safe to run in several processes."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true", help="run one pass and exit")
        parser.add_argument("--interval", type=float, default=None, help="seconds between passes")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["once"]:
            counts = periodic.run_pass()
            self.stdout.write(" ".join(f"{key}={value}" for key, value in asdict(counts).items()))
            return
        stop = threading.Event()
        for sig in (signal.SIGINT, signal.SIGTERM):
            signal.signal(sig, lambda *_: stop.set())
        self.stdout.write("periodic jobs: running (Ctrl+C to stop)")
        periodic.run_forever(interval=options["interval"], stop=stop)
