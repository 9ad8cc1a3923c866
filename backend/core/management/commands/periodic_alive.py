"""Health check of the periodic-jobs worker: exit status 1 when its last pass is older than --max-age."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from backend.core.models import JobHeartbeat


class Command(BaseCommand):
    help = "Exit 0 when the periodic jobs ran within --max-age seconds, else 1 (the worker's health check)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--max-age", type=float, default=300.0)

    def handle(self, *args: Any, **options: Any) -> None:
        last = JobHeartbeat.objects.exclude(name="bench").order_by("-beat_at").values_list("beat_at", flat=True).first()
        if last is None or timezone.now() - last > timedelta(seconds=options["max_age"]):
            raise CommandError(f"periodic jobs last ran at {last}")
        self.stdout.write(f"periodic jobs last ran at {last:%Y-%m-%d %H:%M:%S%z}")
