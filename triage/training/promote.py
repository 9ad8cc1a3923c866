"""Promotion: a new version becomes active only if it is not worse than the active one."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from triage import artifacts
from triage.training.data import (
    LabelledReport,
    read_trained_on,
    unseen_by,
)
from triage.training.metrics import comparison_metrics, evaluate
from triage.training.train import TrainingOutcome


def promote_if_not_worse(
    new: TrainingOutcome,
    current: str | None = None,
    *,
    root: Path | None = None,
    tolerance: float = 0.0,
    out: Callable[[str], None] = print,
) -> bool:
    """Make ``new`` active unless it is worse than ``current`` (default: the active version).

    Both are evaluated on ``new``'s held-out split; "worse" means a lower category macro-F1 or a lower
    critical recall (beyond ``tolerance``). The comparison is printed. Returns whether it was promoted.

    When the data changed since ``current`` was trained, the split changed too and ``current`` has
    trained on part of ``new``'s held-out reports, which would favour it. If ``current`` recorded what
    it was trained on (``trained_on.txt``), both are compared only on held-out reports whose group
    neither has seen.
    """
    root = root or artifacts.models_root()
    current = current if current is not None else artifacts.active_version(root)
    new_figures = comparison_metrics(new.metrics["held_out"])
    if current is None or current == new.version:
        out(f"no active model: {new.version} becomes active")
        artifacts.set_active(new.version, root)
        return True
    try:
        current_model, _ = artifacts.load_version(root / current, root=root)
    except artifacts.ModelLoadError as error:
        out(f"active model {current} cannot be loaded ({error}); {new.version} becomes active")
        artifacts.set_active(new.version, root)
        return True
    compared: Sequence[LabelledReport] = new.held_out
    what = f"held-out split of {len(new.held_out)} reports (seed {new.seed})"
    current_trained_on = read_trained_on(root / current)
    if current_trained_on is not None:
        unseen = unseen_by(new.held_out, current_trained_on)
        if not unseen:
            out(f"warning: {current} was trained on every held-out group; comparing on all of them")
        elif len(unseen) < len(new.held_out):
            compared = unseen
            what = (
                f"{len(unseen)} of the {len(new.held_out)} held-out reports (seed {new.seed}) whose group "
                f"{current} was not trained on"
            )
    if compared is not new.held_out:
        new_figures = comparison_metrics(
            evaluate(
                new.model, compared, model_version=new.version, review_threshold=new.config.review_threshold
            )
        )
    current_figures = comparison_metrics(
        evaluate(current_model, compared, model_version=current, review_threshold=new.config.review_threshold)
    )
    out(f"{what}:")
    out(f"  {'metric':<22}{current:>16}{new.version:>16}")
    for name, new_value in new_figures.items():
        old_value = current_figures[name]
        out(f"  {name:<22}{_fmt(old_value):>16}{_fmt(new_value):>16}")
    worse = [
        name
        for name in ("category_macro_f1", "critical_recall")
        if (new_figures[name] or 0.0) < (current_figures[name] or 0.0) - tolerance
    ]
    if worse:
        out(f"not promoted: {new.version} is worse on {', '.join(worse)}; {current} stays active")
        return False
    artifacts.set_active(new.version, root)
    out(f"promoted: {new.version} is now active (was {current})")
    return True


def _fmt(value: float | None) -> str:
    return "-" if value is None else f"{value:.4f}"
