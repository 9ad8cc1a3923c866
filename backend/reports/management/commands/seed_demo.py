from typing import Any

from django.core.management.base import BaseCommand

from backend.reports.services.demo import demo_accounts_ensure, demo_citizens_ensure, demo_reports_ensure


class Command(BaseCommand):
    help = "Create demo accounts and demo reports (idempotent) and print the logins."

    def handle(self, *args: Any, **options: Any) -> None:
        accounts = demo_accounts_ensure()
        created = demo_reports_ensure()
        self.stdout.write(f"demo reports: {created} new")
        self.stdout.write("Demo logins (POST /api/v1/auth/login/ or /admin/):")
        for a in accounts:
            agency = f" agency={a.agency}" if a.agency else ""
            self.stdout.write(f"  {a.username:<26} password {a.password}  role={a.role}{agency}")
        phones = ", ".join(c.phone or "" for c in demo_citizens_ensure())
        self.stdout.write(f"  citizens by OTP (code printed in this log): {phones}")
