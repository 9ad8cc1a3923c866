"""Thin wrapper over `python -m triage train`: adds operator-corrected reports from the database.

Training needs the `[train]` extra (matplotlib), which a runtime install does not carry: it is checked
when the command starts, and its absence is a clear error.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from triage import reset_model

TRAIN_EXTRA = frozenset({"tqdm", "matplotlib"})


class Command(BaseCommand):
    help = (
        "Train the triage model on triage/data (plus, with --include-feedback, every report whose "
        "category/urgency an operator confirmed or corrected); promote it only if not worse."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--include-feedback", action="store_true", help="add operator-confirmed reports")
        parser.add_argument("--seed", type=int, default=42)
        parser.add_argument("--no-promote", action="store_true")
        parser.add_argument("--no-external", action="store_true", help="skip ../shared/data/eval evaluation")
        parser.add_argument("--quiet", action="store_true", help="no progress bar")

    def handle(self, *args: Any, **options: Any) -> None:
        from backend.reports.services.lifecycle import triage_feedback_rows

        try:
            # matplotlib (the [train] extra) is only imported when the model card's picture is drawn,
            # minutes into training: ask for it first.
            import matplotlib  # noqa: F401

            from triage.training import cli
        except ModuleNotFoundError as missing:
            if missing.name not in TRAIN_EXTRA:
                raise
            raise CommandError(
                f"training needs the [train] extra ({missing.name} is not installed): pip install -e '.[train]'"
            ) from None

        extra = triage_feedback_rows() if options["include_feedback"] else []
        if options["include_feedback"]:
            self.stdout.write(f"feedback: {len(extra)} operator-confirmed reports added to training")
        argv = ["train", "--seed", str(options["seed"])]
        for flag in ("no_promote", "no_external", "quiet"):
            if options[flag]:
                argv.append("--" + flag.replace("_", "-"))
        status = cli.main(argv, extra_examples=extra, out=self.stdout.write)
        if status != 0:
            raise CommandError(f"training failed with status {status}")
        reset_model()  # this process picks up a promoted version on its next report
