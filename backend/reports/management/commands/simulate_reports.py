from __future__ import annotations

from typing import Any

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
        parser.add_argument("--phone", default="+84905000099", help="the simulated citizen")

    def handle(self, *args: Any, **options: Any) -> None:
        citizen = user_ensure(username=f"citizen:{options['phone']}", role="citizen")
        token = token_issue(user=citizen, device="simulator")
        centres = [(a.centre_lat, a.centre_lon) for a in areas_all()]
        outcome = simulate(
            base_url=options["url"], token=token, centres=centres, count=options["count"], rate=options["rate"],
            seed=options["seed"], photo_share=options["photo_share"], retry_share=options["retry_share"],
            log=self.stdout.write,
        )
        self.stdout.write(
            f"sent {outcome.sent}: {outcome.created} created, {outcome.replayed} retries answered with the "
            f"same report, {outcome.failed} failed; statuses {outcome.statuses}"
        )
