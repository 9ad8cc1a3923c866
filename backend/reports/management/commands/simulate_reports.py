from __future__ import annotations

import math
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from backend.accounts.services import user_ensure
from backend.accounts.tokens import token_issue
from backend.reports.simulator import simulate
from routing.selectors import areas_all


class Command(BaseCommand):
    help = "Submit realistic citizen reports to a running server through the real API at a chosen rate."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--url", default="http://127.0.0.1:8000")
        parser.add_argument("--count", type=int, default=20)
        parser.add_argument("--rate", type=float, default=1.0, help="reports per second (0: as fast as possible)")
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--photo-share", type=float, default=0.3)
        parser.add_argument("--retry-share", type=float, default=0.1, help="share of submissions retried")
        parser.add_argument(
            "--citizens", type=int, default=0,
            help="simulated citizens to spread the reports over (default: enough to stay within the "
            "per-citizen hourly limit, REPORTS_PER_USER_PER_HOUR)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        per_citizen = max(1, settings.REPORTS_PER_USER_PER_HOUR or options["count"])
        citizens = options["citizens"] or max(1, math.ceil(options["count"] / per_citizen))
        tokens = [
            token_issue(user=user_ensure(username=f"citizen:+8490599{n:04d}", role="citizen"), device="simulator")
            for n in range(citizens)
        ]
        centres = [(a.centre_lat, a.centre_lon) for a in areas_all()]
        outcome = simulate(
            base_url=options["url"], tokens=tokens, centres=centres, count=options["count"], rate=options["rate"],
            seed=options["seed"], photo_share=options["photo_share"], retry_share=options["retry_share"],
            log=self.stdout.write,
        )
        self.stdout.write(
            f"sent {outcome.sent}: {outcome.created} created, {outcome.replayed} retries answered with the "
            f"same report, {outcome.failed} failed; statuses {outcome.statuses}"
        )
