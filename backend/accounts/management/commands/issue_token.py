from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from backend.accounts.models import Role
from backend.accounts.services import user_ensure
from backend.accounts.tokens import token_issue


class Command(BaseCommand):
    help = "Create the user if needed and print a new API token (the last word of the output)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--role", choices=Role.values, default=Role.CITIZEN)
        parser.add_argument("--agency", help="agency code, required for --role agency")
        parser.add_argument("--device", default="issue_token")
        parser.add_argument(
            "--days",
            type=int,
            help="lifetime in days (integrations); default: the role's (12 hours for staff, 90 days of disuse for citizens)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            user = user_ensure(username=options["username"], role=options["role"], agency_code=options["agency"])
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        days = options["days"]
        if days is not None and days <= 0:
            raise CommandError("--days must be a positive number of days")
        key = token_issue(user=user, device=options["device"], lifetime=timedelta(days=days) if days else None)
        agency = f" agency={user.agency.code}" if user.agency else ""
        self.stdout.write(f"user={user.username} role={user.role}{agency} token: {key}")
