"""Choosing the urgency policy (``triage.model.UrgencyPolicy``) on validation data from the corpus.

The thresholds are chosen on out-of-fold predictions of the *train* split (grouped 3-fold: each
report is scored by a model that did not see its group), with the safety rules applied as in
production. Never on the held-out split, the external sets or the independent test set.

The operating point (issue 14), in this order:

1. at most ``max_calm_critical`` (3 %) of low and normal reports marked critical, and urgency within
   one level on at least ``min_within_one`` of the reports;
2. among those, the highest critical recall (capped at ``target_critical_recall``: above it, recall
   is not bought with accuracy);
3. then the highest urgency accuracy.

The unsure band's floor is the lowest P(critical) threshold that keeps "critical or sent to review as
unsure" within ``max_calm_flagged`` of low and normal reports: below it the model is not unsure, it
is fairly sure the report is not critical.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray
from sklearn.model_selection import StratifiedGroupKFold

from triage.model import UrgencyPolicy
from triage.normalize import normalize_text
from triage.rules import RuleSet, default_rules
from triage.training.data import LabelledReport
from triage.training.fit import TrainingConfig, fit_model

ORDER = ("low", "normal", "high", "critical")


@dataclass(frozen=True, slots=True)
class PolicyTargets:
    max_calm_critical: float = 0.03
    min_within_one: float = 0.975
    target_critical_recall: float = 0.95
    max_calm_flagged: float = 0.10


def ordered(probabilities: NDArray[np.float64], labels: Sequence[str]) -> NDArray[np.float64]:
    """Columns reordered low, normal, high, critical (a missing label gets probability 0)."""
    columns = [
        probabilities[:, list(labels).index(label)] if label in labels else np.zeros(len(probabilities))
        for label in ORDER
    ]
    return np.stack(columns, axis=1)


def apply(policy: UrgencyPolicy, probabilities: NDArray[np.float64], floors: NDArray[np.intp]) -> NDArray[np.intp]:
    """Urgency ranks (0 low .. 3 critical) for ordered probabilities, raised to the rules' floors."""
    critical = probabilities[:, 3]
    high_or_worse = probabilities[:, 2] + critical
    normal_or_worse = 1.0 - probabilities[:, 0]
    ranks = np.where(
        critical >= policy.critical,
        3,
        np.where(high_or_worse >= policy.high, 2, np.where(normal_or_worse >= policy.normal, 1, 0)),
    )
    return np.maximum(ranks, floors).astype(np.intp)


def figures(ranks: NDArray[np.intp], truth: NDArray[np.intp]) -> dict[str, float]:
    critical = truth == 3
    calm = truth <= 1
    return {
        "accuracy": float(np.mean(ranks == truth)),
        "within_one": float(np.mean(np.abs(ranks - truth) <= 1)),
        "critical_recall": float(np.mean(ranks[critical] == 3)) if critical.any() else 1.0,
        "calm_marked_critical": float(np.mean(ranks[calm] == 3)) if calm.any() else 0.0,
    }


def choose_policy(
    probabilities: NDArray[np.float64],
    floors: NDArray[np.intp],
    truth: NDArray[np.intp],
    targets: PolicyTargets | None = None,
) -> tuple[UrgencyPolicy, dict[str, Any]]:
    """The policy for ordered out-of-fold probabilities, the rules' floors and the true ranks."""
    targets = targets or PolicyTargets()
    grid = np.round(np.arange(0.05, 0.951, 0.025), 3)
    level_grid = np.round(np.arange(0.25, 0.751, 0.025), 3)
    best: tuple[tuple[float, ...], UrgencyPolicy, dict[str, float]] | None = None
    for critical in grid:
        for high in level_grid:
            for normal in level_grid:
                policy = UrgencyPolicy(critical=float(critical), high=float(high), normal=float(normal))
                result = figures(apply(policy, probabilities, floors), truth)
                feasible = (
                    result["calm_marked_critical"] <= targets.max_calm_critical
                    and result["within_one"] >= targets.min_within_one
                )
                key = (
                    float(feasible),
                    min(result["critical_recall"], targets.target_critical_recall),
                    result["accuracy"],
                    -critical,
                )
                if best is None or key > best[0]:
                    best = (key, policy, result)
    assert best is not None
    _, policy, result = best
    calm = truth <= 1
    unsure = policy.critical
    for floor in grid[grid < policy.critical][::-1]:
        flagged = (probabilities[:, 3] >= floor) | (apply(policy, probabilities, floors) == 3)
        if calm.any() and float(np.mean(flagged[calm])) > targets.max_calm_flagged:
            break
        unsure = float(floor)
    policy = UrgencyPolicy(critical=policy.critical, high=policy.high, normal=policy.normal, unsure=unsure)
    critical_rows = truth == 3
    flagged = (probabilities[:, 3] >= unsure) | (apply(policy, probabilities, floors) == 3)
    report = {
        **{key: round(value, 4) for key, value in result.items()},
        "critical_or_unsure_recall": round(float(np.mean(flagged[critical_rows])), 4) if critical_rows.any() else None,
        "calm_critical_or_unsure": round(float(np.mean(flagged[calm])), 4) if calm.any() else None,
        "targets": {
            "max_calm_critical": targets.max_calm_critical,
            "min_within_one": targets.min_within_one,
            "target_critical_recall": targets.target_critical_recall,
            "max_calm_flagged": targets.max_calm_flagged,
        },
        "rows": int(len(truth)),
    }
    return policy, report


def policy_from_validation(
    training: Sequence[LabelledReport],
    model_texts: Sequence[str],
    groups: Sequence[str],
    config: TrainingConfig,
    seed: int,
    rules: RuleSet | None = None,
) -> tuple[UrgencyPolicy, dict[str, Any]]:
    """Out-of-fold urgency probabilities of ``training`` (grouped folds), then ``choose_policy``."""
    rules = rules or default_rules()
    splitter = StratifiedGroupKFold(n_splits=config.policy_folds, shuffle=True, random_state=seed)
    probabilities = np.zeros((len(training), len(ORDER)))
    for fit_index, check_index in splitter.split(model_texts, [row.urgency for row in training], groups):
        model = fit_model(
            [model_texts[i] for i in fit_index],
            [training[i].category for i in fit_index],
            [training[i].urgency for i in fit_index],
            [groups[i] for i in fit_index],
            config,
            seed,
        )
        _, urgency = model.predict_proba([model_texts[i] for i in check_index])
        probabilities[check_index] = ordered(urgency, model.urgency.labels)
    floors = np.asarray(
        [
            ORDER.index(outcome.min_urgency) if outcome.min_urgency else 0
            for outcome in (rules.evaluate(normalize_text(row.text)) for row in training)
        ],
        dtype=np.intp,
    )
    truth = np.asarray([ORDER.index(row.urgency) for row in training], dtype=np.intp)
    targets = PolicyTargets(
        max_calm_critical=config.max_calm_critical,
        min_within_one=config.min_within_one,
        target_critical_recall=config.target_critical_recall,
        max_calm_flagged=config.max_calm_flagged,
    )
    policy, report = choose_policy(probabilities, floors, truth, targets)
    report["folds"] = config.policy_folds
    return policy, report
