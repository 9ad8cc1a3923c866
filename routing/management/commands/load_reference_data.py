from typing import Any

from django.core.management.base import BaseCommand

from routing.services import reference_data_load


class Command(BaseCommand):
    help = "Load categories, agencies and Huế's 40 wards (idempotent)."

    def handle(self, *args: Any, **options: Any) -> None:
        counts = reference_data_load()
        self.stdout.write(
            f"reference data: {counts.categories} categories, {counts.agencies} agencies, "
            f"{counts.areas} wards ({counts.created} new)"
        )
