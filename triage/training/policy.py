"""Choosing the urgency policy (``triage.model.UrgencyPolicy``) on validation data.

The thresholds are chosen on out-of-fold predictions, with the safety rules applied as in
production. Never on the held-out split, the external sets or the independent test set. Two kinds of
folds, both scored by models that did not see the report:

- grouped folds of the corpus's train split (``policy_folds``; each report is scored by a model that
  did not see its group, every new writer's rows staying in the fitting part);
- leave-one-writer-out folds over the new writers (triage/data/writers): each writer's reports are
  scored by a model trained on the corpus and the *other* writers, so the operating point is also
  chosen on writing the model has never seen (issue 14: held-out figures of the corpus's own writers
  flatter the model).

The operating point (issue 14), read on each kind of fold separately ("segments"), in this order:

1. at most ``max_calm_critical`` (3 %) of low and normal reports marked critical, and urgency within
   one level on at least ``min_within_one`` of the reports, on as many segments as possible;
2. among those, the highest critical recall (mean over segments, each capped at
   ``target_critical_recall``: above it, recall is not bought with accuracy);
3. then the highest urgency accuracy (mean over segments).

The unsure band's floor is the lowest P(critical) threshold that keeps "critical or sent to review as
unsure" within ``max_calm_flagged`` of low and normal reports: below it the model is not unsure, it
is fairly sure the report is not critical.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from multiprocessing import get_context
from typing import Any

import numpy as np
from numpy.typing import NDArray
from sklearn.model_selection import StratifiedGroupKFold

from triage.model import UrgencyPolicy
from triage.normalize import normalize_text
from triage.rules import RuleSet, default_rules
from triage.training.data import LabelledReport, writer_of
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
    segments: Mapping[str, NDArray[np.bool_]] | None = None,
) -> tuple[UrgencyPolicy, dict[str, Any]]:
    """The policy for ordered out-of-fold probabilities, the rules' floors and the true ranks.

    ``segments`` (name -> row mask) are read separately, each counting equally (see the module
    docstring); by default all rows are one segment.
    """
    targets = targets or PolicyTargets()
    masks = {name: mask for name, mask in (segments or {"all": np.ones(len(truth), dtype=bool)}).items() if mask.any()}
    grid = np.round(np.arange(0.05, 0.951, 0.025), 3)
    level_grid = np.round(np.arange(0.25, 0.751, 0.025), 3)
    best: tuple[tuple[float, ...], UrgencyPolicy, dict[str, dict[str, float]]] | None = None
    for critical in grid:
        for high in level_grid:
            for normal in level_grid:
                policy = UrgencyPolicy(critical=float(critical), high=float(high), normal=float(normal))
                ranks = apply(policy, probabilities, floors)
                results = {name: figures(ranks[mask], truth[mask]) for name, mask in masks.items()}
                feasible = sum(
                    result["calm_marked_critical"] <= targets.max_calm_critical
                    and result["within_one"] >= targets.min_within_one
                    for result in results.values()
                )
                key = (
                    float(feasible),
                    float(np.mean([min(r["critical_recall"], targets.target_critical_recall) for r in results.values()])),
                    float(np.mean([r["accuracy"] for r in results.values()])),
                    -critical,
                )
                if best is None or key > best[0]:
                    best = (key, policy, results)
    assert best is not None
    _, policy, per_segment = best
    result = figures(apply(policy, probabilities, floors), truth)
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
    report: dict[str, Any] = {
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
    if segments is not None:
        report["segments"] = {
            name: {**{key: round(value, 4) for key, value in figures_of.items()}, "rows": int(masks[name].sum())}
            for name, figures_of in per_segment.items()
        }
    return policy, report


def validation_folds(
    training: Sequence[LabelledReport], groups: Sequence[str], folds: int, seed: int
) -> list[tuple[str, NDArray[np.intp], NDArray[np.intp]]]:
    """(segment, fit rows, scored rows) of every validation fold (see the module docstring).

    Corpus rows (and operator corrections) are split by grouped folds with the new writers' rows always
    on the fitting side; then each new writer is scored by a model fitted on everything else.
    """
    writers = [writer_of(row) for row in training]
    corpus = np.asarray([i for i, writer in enumerate(writers) if not writer], dtype=np.intp)
    new = np.asarray([i for i, writer in enumerate(writers) if writer], dtype=np.intp)
    result: list[tuple[str, NDArray[np.intp], NDArray[np.intp]]] = []
    splitter = StratifiedGroupKFold(n_splits=folds, shuffle=True, random_state=seed)
    for fit_part, check_part in splitter.split(
        corpus, [training[i].urgency for i in corpus], [groups[i] for i in corpus]
    ):
        result.append(("corpus", np.sort(np.concatenate([corpus[fit_part], new])), corpus[check_part]))
    for writer in sorted(set(writers) - {""}):
        held = np.asarray([i for i, w in enumerate(writers) if w == writer], dtype=np.intp)
        rest = np.asarray([i for i, w in enumerate(writers) if w != writer], dtype=np.intp)
        result.append((NEW_WRITERS, rest, held))
    return result


NEW_WRITERS = "new_writers"


def sample_weights(training: Sequence[LabelledReport], config: TrainingConfig) -> list[float]:
    """Per-row training weight: ``config.writer_weight`` for a new writer's row, 1 otherwise."""
    return [config.writer_weight if writer_of(row) else 1.0 for row in training]


def _fit_and_score(
    model_texts: Sequence[str],
    training: Sequence[LabelledReport],
    groups: Sequence[str],
    weights: Sequence[float],
    fit_index: NDArray[np.intp],
    check_index: NDArray[np.intp],
    config: TrainingConfig,
    seed: int,
) -> tuple[NDArray[np.float64], NDArray[np.float64], tuple[str, ...]]:
    """Category and ordered urgency probabilities of the scored rows by a model fitted on the others."""
    model = fit_model(
        [model_texts[i] for i in fit_index],
        [training[i].category for i in fit_index],
        [training[i].urgency for i in fit_index],
        [groups[i] for i in fit_index],
        config,
        seed,
        sample_weight=[weights[i] for i in fit_index],
    )
    category, urgency = model.predict_proba([model_texts[i] for i in check_index])
    return category, ordered(urgency, model.urgency.labels), model.category.labels


@dataclass(frozen=True)
class OutOfFold:
    """Out-of-fold probabilities of every training row and the segment each was scored in."""

    category: NDArray[np.float64]  # columns in ``category_labels`` order
    category_labels: tuple[str, ...]
    urgency: NDArray[np.float64]  # ordered low .. critical
    segment: list[str]


def out_of_fold(
    training: Sequence[LabelledReport],
    model_texts: Sequence[str],
    groups: Sequence[str],
    config: TrainingConfig,
    seed: int,
) -> OutOfFold:
    """Every training row scored by a model that did not see it (``validation_folds``)."""
    folds = validation_folds(training, groups, config.policy_folds, seed)
    weights = sample_weights(training, config)
    jobs = [
        (model_texts, training, groups, weights, fit_index, check_index, config, seed)
        for _, fit_index, check_index in folds
    ]
    if config.fit_jobs > 1 and len(jobs) > 1:
        # Processes, not threads: the fitting holds the GIL in places. Each fit is seeded, so the
        # result is the same as one after the other.
        with ProcessPoolExecutor(max_workers=config.fit_jobs, mp_context=get_context("fork")) as pool:
            outputs = list(pool.map(_fit_and_score, *zip(*jobs, strict=True)))
    else:
        outputs = [_fit_and_score(*job) for job in jobs]
    labels = tuple(sorted({label for _, _, fold_labels in outputs for label in fold_labels}))
    category = np.zeros((len(training), len(labels)))
    urgency = np.zeros((len(training), len(ORDER)))
    segment = [""] * len(training)
    for (name, _, check_index), (fold_category, fold_urgency, fold_labels) in zip(folds, outputs, strict=True):
        columns = np.asarray([labels.index(label) for label in fold_labels], dtype=np.intp)
        category[np.ix_(check_index, columns)] = fold_category
        urgency[check_index] = fold_urgency
        for i in check_index:
            segment[i] = name
    return OutOfFold(category=category, category_labels=labels, urgency=urgency, segment=segment)


def rule_floors(training: Sequence[LabelledReport], rules: RuleSet | None = None) -> NDArray[np.intp]:
    """The safety rules' minimum urgency rank of every row (0 when no rule fires)."""
    rules = rules or default_rules()
    return np.asarray(
        [
            ORDER.index(outcome.min_urgency) if outcome.min_urgency else 0
            for outcome in (rules.evaluate(normalize_text(row.text)) for row in training)
        ],
        dtype=np.intp,
    )


def policy_from_validation(
    training: Sequence[LabelledReport],
    model_texts: Sequence[str],
    groups: Sequence[str],
    config: TrainingConfig,
    seed: int,
    rules: RuleSet | None = None,
) -> tuple[UrgencyPolicy, dict[str, Any]]:
    """Out-of-fold urgency probabilities of ``training`` (``validation_folds``), then ``choose_policy``."""
    oof = out_of_fold(training, model_texts, groups, config, seed)
    floors = rule_floors(training, rules)
    truth = np.asarray([ORDER.index(row.urgency) for row in training], dtype=np.intp)
    targets = PolicyTargets(
        max_calm_critical=config.max_calm_critical,
        min_within_one=config.min_within_one,
        target_critical_recall=config.target_critical_recall,
        max_calm_flagged=config.max_calm_flagged,
    )
    segment = np.asarray(oof.segment)
    segments = (
        {name: segment == name for name in ("corpus", NEW_WRITERS)} if (segment == NEW_WRITERS).any() else None
    )
    policy, report = choose_policy(oof.urgency, floors, truth, targets, segments)
    report["folds"] = config.policy_folds
    if segments is not None:
        report["leave_one_writer_out"] = sorted({writer_of(row) for row in training} - {""})
    return policy, report
