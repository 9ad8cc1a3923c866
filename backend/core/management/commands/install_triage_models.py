"""One-shot job: copy the triage model versions shipped in the image into the shared models directory.

Every app container reads ML_MODELS_DIR/triage, on a volume they share, so a model trained or promoted by
one of them reaches all (backend/core/model_watch.py). A new image brings its bundled versions in here;
an ACTIVE already chosen on the volume is kept (promotion is an operator's decision), and the image's
ACTIVE is used only on a fresh volume.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

import triage
from triage.artifacts import ACTIVE_FILE, active_version, models_root, set_active


def _loads(version: str, root: Path) -> bool:
    try:
        triage.load_model(version, root=root)
    except triage.ModelLoadError:
        return False
    return True


class Command(BaseCommand):
    help = "Copy bundled triage model versions into ML_MODELS_DIR/triage; set ACTIVE on a fresh directory."

    def handle(self, *args: Any, **options: Any) -> None:
        bundled = Path(settings.BUNDLED_MODELS_DIR).resolve()
        target = models_root()
        if bundled == target:
            self.stdout.write(f"models are read from {target} directly: nothing to copy")
            return
        target.mkdir(parents=True, exist_ok=True)
        copied = []
        for version in sorted(p for p in bundled.iterdir() if p.is_dir() and not p.name.startswith(".")):
            if (target / version.name).exists():
                continue
            staging = target / f".{version.name}.copying"
            shutil.rmtree(staging, ignore_errors=True)
            shutil.copytree(version, staging)
            staging.rename(target / version.name)  # a version appears complete or not at all
            copied.append(version.name)
        chosen = active_version(target)
        if chosen is not None and not _loads(chosen, target):
            # A version this code can no longer read (an older model format or lexicon): keeping it would
            # send every report to review, so the image's own active version takes over.
            self.stdout.write(f"active version {chosen} does not load with this code; using the image's")
            chosen = None
        if chosen is None and (bundled / ACTIVE_FILE).exists():
            set_active((bundled / ACTIVE_FILE).read_text().strip(), root=target)
        self.stdout.write(f"copied {len(copied)} model version(s) {copied}; active: {active_version(target)}")
