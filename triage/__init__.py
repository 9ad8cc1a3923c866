"""ML triage of citizen reports: category, urgency, confidence, safety rules.

Plain Python + numpy/scikit-learn; no Django (the app layer calls in, never the other way round)::

    from triage import classify
    result = classify("Dây điện bị đứt rơi xuống đường Lê Lợi")
    result.category, result.urgency, result.confidence, result.needs_review, result.alert

The app configures triage once at start (``configure(models_dir=..., review_threshold=...)`` from its
settings; triage reads no environment variables). The active model (``<models_dir>/ACTIVE``, by default
the repository's ``ml_models/triage``) is loaded once per process, on first use, under a lock.
Without a usable model classification still works: category from the safety rules' hint or "other",
urgency from the rules or "normal", confidence 0.0, and every report goes to human review.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from triage import config
from triage.artifacts import ModelLoadError, load_active, load_version, models_root
from triage.config import DEFAULT_REVIEW_THRESHOLD
from triage.model import TriageModel
from triage.predict import Predictor, TriageResult
from triage.taxonomy import CATEGORIES, URGENCIES

__all__ = [
    "CATEGORIES",
    "DEFAULT_REVIEW_THRESHOLD",
    "URGENCIES",
    "LoadedModel",
    "ModelLoadError",
    "TriageResult",
    "classify",
    "classify_batch",
    "configure",
    "get_model",
    "load_model",
    "model_version",
    "reset_model",
]

logger = logging.getLogger(__name__)


class LoadedModel:
    """A verified model with its version and manifest."""

    def __init__(self, model: TriageModel, manifest: dict[str, Any]) -> None:
        self.model = model
        self.manifest = manifest
        self.version: str = str(manifest["model_version"])

    def __repr__(self) -> str:
        return f"LoadedModel(version={self.version!r}, features={self.model.n_features})"


_lock = threading.Lock()
_loaded: LoadedModel | None = None
_load_error: ModelLoadError | None = None
_predictor: Predictor | None = None


def load_model(path: str | os.PathLike[str], root: Path | None = None) -> LoadedModel:
    """Verify and load one model version (a version name or its directory inside the models directory).

    Raises ``ModelLoadError`` for anything that must not be loaded. Does not change the process-wide
    model; see ``get_model``.
    """
    model, manifest = load_version(path, root=root)
    return LoadedModel(model, manifest)


def get_model() -> LoadedModel:
    """The process-wide active model, loaded on first use; raises ``ModelLoadError`` if there is none.

    A failed load is remembered (and logged once) so every report does not retry it; ``reset_model``
    forgets it, e.g. after training a new model.
    """
    global _loaded, _load_error
    loaded, error = _loaded, _load_error
    if loaded is not None:
        return loaded
    if error is not None:
        raise error
    with _lock:
        if _loaded is not None:
            return _loaded
        if _load_error is not None:
            raise _load_error
        try:
            model, manifest = load_active()
        except ModelLoadError as failure:
            _load_error = failure
            logger.warning("triage: no usable model, every report goes to human review: %s", failure)
            raise
        _loaded = LoadedModel(model, manifest)
        logger.info("triage: loaded model %s from %s", _loaded.version, models_root())
        return _loaded


def reset_model() -> None:
    """Forget the loaded model (or the load failure); the next call loads ``ACTIVE`` again."""
    global _loaded, _load_error, _predictor
    with _lock:
        _loaded = None
        _load_error = None
        _predictor = None


def configure(
    *, models_dir: str | os.PathLike[str] | None = None, review_threshold: float | None = None
) -> None:
    """Set the models directory and the review threshold (each only when given).

    Called by the app at start with its settings (``settings.ML_MODELS_DIR / "triage"``,
    ``settings.TRIAGE_REVIEW_THRESHOLD``). A value that is not usable raises ValueError and changes
    nothing; a new models directory makes the next report load that directory's active model.
    """
    before, after = config.update(models_dir=models_dir, review_threshold=review_threshold)
    if after.models_dir != before.models_dir:
        reset_model()


def model_version() -> str | None:
    """The active model's version, or None when classification runs without a model."""
    return _get_predictor().model_version


def _get_predictor() -> Predictor:
    global _predictor
    predictor = _predictor
    if predictor is not None:
        return predictor
    try:
        loaded: LoadedModel | None = get_model()
    except ModelLoadError:
        loaded = None
    with _lock:
        if _predictor is None:
            _predictor = (
                Predictor(loaded.model, loaded.version) if loaded is not None else Predictor(None, None)
            )
        return _predictor


def classify(
    text: str, photos: Sequence[object] | None = None, *, review_threshold: float | None = None
) -> TriageResult:
    """Triage one report.

    ``photos`` are accepted for the API's sake and not used yet (the model reads text only).
    ``review_threshold`` defaults to the configured one (``configure``; 0.6 unless the app says otherwise).
    """
    del photos  # reserved: an image model may add evidence later
    return _get_predictor().classify(text, review_threshold)


def classify_batch(texts: Iterable[str], *, review_threshold: float | None = None) -> list[TriageResult]:
    """Triage many reports at once (much faster per report than calling ``classify`` in a loop)."""
    return _get_predictor().classify_batch(list(texts), review_threshold)
