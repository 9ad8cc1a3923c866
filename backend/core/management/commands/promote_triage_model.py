"""Make a trained triage model version the active one; every server switches to it within
TRIAGE_MODEL_CHECK_SECONDS (backend/core/model_watch.py). Also the way back: promote the previous one."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

import triage
from triage.artifacts import active_version, set_active


class Command(BaseCommand):
    help = "Make VERSION (a directory in the models directory) the active triage model for every server."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("version")

    def handle(self, *args: Any, **options: Any) -> None:
        before = active_version()
        try:
            set_active(options["version"])  # refuses a version that does not load
        except (triage.ModelLoadError, FileNotFoundError, ValueError) as failure:
            raise CommandError(str(failure)) from None
        triage.reset_model()
        self.stdout.write(f"active triage model: {before} -> {options['version']}")
