from typing import Any

from django.core.management.base import BaseCommand

from realtime.log import purge_expired


class Command(BaseCommand):
    help = "Delete realtime events older than REALTIME_RETENTION_HOURS (resumes from before them get 'reload')."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"purged {purge_expired()} events")
