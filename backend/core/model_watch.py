"""Every server uses the active triage model, whichever server or job promoted it.

The models directory (ML_MODELS_DIR/triage; a volume shared by all app containers in docker-compose.yml)
is the one place the active version is recorded: its ACTIVE file, which triage replaces atomically. A
promotion written by one process is seen by the others through ``watch``: each server process checks
that file every TRIAGE_MODEL_CHECK_SECONDS and, when it names another version, verifies that version
loads, then makes it the process's model (``triage.reset_model`` + load, under triage's own lock: a
report classified meanwhile waits the ~0.1 s of the load and gets the old or the new model, never a
mix). A version that fails to load is logged and the current model kept.
"""

from __future__ import annotations

import logging
import threading
import time

import triage
from triage.artifacts import active_version

logger = logging.getLogger(__name__)

_started = threading.Event()


def refresh() -> str | None:
    """Load the active version if it is not the one in use; returns the version in use afterwards."""
    active = active_version()
    current = triage.model_version()
    if active is None or active == current:
        return current
    try:
        triage.load_model(active)  # verify first: a broken promotion must not take the model away
    except triage.ModelLoadError as failure:
        logger.error("triage: keeping model %s, active version %s does not load: %s", current, active, failure)
        return current
    triage.reset_model()
    now = triage.model_version()
    logger.info("triage: switched from model %s to %s", current, now)
    return now


def watch(interval_seconds: float) -> None:
    """Start the per-process watcher thread (once; further calls do nothing)."""
    if interval_seconds <= 0 or _started.is_set():
        return
    _started.set()

    def loop() -> None:
        while True:
            time.sleep(interval_seconds)
            try:
                refresh()
            except Exception:  # the watcher must outlive a bad moment of the shared disk
                logger.exception("triage: model check failed")

    threading.Thread(target=loop, name="triage-model-watch", daemon=True).start()
