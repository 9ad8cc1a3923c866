from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from backend.reports.selectors.audit import audit_trail_breaks


class Command(BaseCommand):
    help = (
        "Recompute every report's audit-trail hash chain; name the first broken link of each broken "
        "chain and exit with status 1 if there is any (backend/reports/audit_chain.py)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--report", type=int, help="check one report only")

    def handle(self, *args: Any, **options: Any) -> None:
        broken = list(audit_trail_breaks(report_id=options["report"]))
        for link in broken:
            self.stdout.write(f"BROKEN {link}")
        if broken:
            raise CommandError(f"{len(broken)} broken chain(s); the first: {broken[0]}")
        self.stdout.write("audit trail intact")
