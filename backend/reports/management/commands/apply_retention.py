from __future__ import annotations

from dataclasses import asdict
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from backend.reports.services.retention import reports_due, retention_apply, retention_cutoff


class Command(BaseCommand):
    help = (
        "Remove personal data and photos of reports finished more than RETENTION_DAYS ago, keeping the "
        "anonymised record and its audit trail (backend/reports/services/retention.py). Safe to rerun."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--days", type=int, help="override RETENTION_DAYS")
        parser.add_argument("--dry-run", action="store_true", help="only count the reports that are due")

    def handle(self, *args: Any, **options: Any) -> None:
        from django.utils import timezone

        try:
            if options["dry_run"]:
                due = reports_due(cutoff=retention_cutoff(timezone.now(), options["days"]))
                self.stdout.write(f"due: {len(due)} report(s)")
                return
            counts = retention_apply(days=options["days"])
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(" ".join(f"{key}={value}" for key, value in asdict(counts).items()))
