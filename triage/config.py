"""Where triage finds its models and when it asks for a human review: set by the app, not read from env.

The Django app calls ``triage.configure(models_dir=..., review_threshold=...)`` once at start (from
its settings, ``backend.core.apps``); scripts and the command line keep the defaults below or pass
their own. Triage itself reads no environment variables, so settings are the one source.
"""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Final

# The repository's committed models (a checkout or an editable install); an installed app passes its own.
DEFAULT_MODELS_DIR: Final = (Path(__file__).resolve().parent.parent / "ml_models" / "triage").resolve()
DEFAULT_REVIEW_THRESHOLD: Final = 0.6


@dataclass(frozen=True, slots=True)
class TriageSettings:
    """``models_dir`` holds the model versions and ``ACTIVE``; a report whose category probability is
    under ``review_threshold`` goes to an operator before any agency sees it."""

    models_dir: Path = DEFAULT_MODELS_DIR
    review_threshold: float = DEFAULT_REVIEW_THRESHOLD


_lock = threading.Lock()
_current = TriageSettings()


def check_threshold(value: float) -> float:
    """``value`` if it is a probability; a ValueError that says so otherwise."""
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0.0 <= value <= 1.0:
        raise ValueError(f"review threshold {value!r} must be a number in [0, 1]")
    return float(value)


def current() -> TriageSettings:
    return _current


def update(
    *, models_dir: str | os.PathLike[str] | None = None, review_threshold: float | None = None
) -> tuple[TriageSettings, TriageSettings]:
    """Change the given settings (others keep their value); returns (before, after). Checked first:
    a bad value changes nothing."""
    global _current
    changes: dict[str, object] = {}
    if models_dir is not None:
        changes["models_dir"] = Path(models_dir).resolve()
    if review_threshold is not None:
        changes["review_threshold"] = check_threshold(review_threshold)
    with _lock:
        before = _current
        _current = replace(before, **changes)  # type: ignore[arg-type]
        return before, _current


def restore(settings: TriageSettings) -> None:
    """Put back settings returned by ``update`` (tests)."""
    global _current
    with _lock:
        _current = settings
