"""Cross-validated comparisons of training configs and of data versions (train split only)."""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
from sklearn.metrics import (
    f1_score,
)
from sklearn.model_selection import StratifiedGroupKFold

from triage.config import DEFAULT_REVIEW_THRESHOLD
from triage.model import TriageModel
from triage.normalize import model_text, normalize_text
from triage.predict import Predictor, TriageResult
from triage.rules import default_rules
from triage.training.data import (
    HELD_OUT_FOLDS,
    LabelledReport,
    held_out_split,
    text_key,
)
from triage.training.fit import TrainingConfig, fit_model
from triage.training.metrics import evaluate, pair_accuracy


def compare_estimators(
    rows: Sequence[LabelledReport],
    seed: int = 42,
    candidates: Sequence[TrainingConfig] | None = None,
    out: Callable[[str], None] = print,
) -> list[dict[str, Any]]:
    """Grouped 3-fold cross-validation of candidate configs on the TRAIN part only (not the held-out)."""
    # The grid behind TrainingConfig's defaults (see its comment).
    candidates = candidates or [
        TrainingConfig(estimator="logreg", category_c=20.0, urgency_c=20.0)
    ] + [
        TrainingConfig(category_c=c, urgency_c=u)
        for c, u in ((0.3, 0.5), (0.5, 0.5), (1.0, 0.5), (0.5, 0.25), (0.5, 1.0))
    ]
    train_index, _ = held_out_split(rows, seed)
    training = [rows[i] for i in train_index]
    normalized = [model_text(normalize_text(row.text)) for row in training]
    groups = [row.group or row.id for row in training]
    folds = list(
        StratifiedGroupKFold(n_splits=3, shuffle=True, random_state=seed).split(
            normalized, [r.category for r in training], groups
        )
    )
    rules = default_rules()
    table: list[dict[str, Any]] = []
    for config in candidates:
        scores: dict[str, list[float]] = {
            "macro_f1": [],
            "critical_recall": [],
            "critical_precision": [],
            "urgency_accuracy": [],
            "log_loss": [],
            "ece": [],
        }
        started = time.perf_counter()
        for fit_index, check_index in folds:
            model = fit_model(
                [normalized[i] for i in fit_index],
                [training[i].category for i in fit_index],
                [training[i].urgency for i in fit_index],
                [groups[i] for i in fit_index],
                config,
                seed,
            )
            result = evaluate(model, [training[i] for i in check_index], rules=rules)
            scores["macro_f1"].append(result["category"]["macro_f1"])
            scores["critical_recall"].append(result["critical"]["recall"] or 0.0)
            scores["critical_precision"].append(result["critical"]["precision"] or 0.0)
            scores["urgency_accuracy"].append(result["urgency"]["accuracy"] or 0.0)
            scores["log_loss"].append(result["category_log_loss"] or 0.0)
            scores["ece"].append(result["category_ece"])
        row = {
            "estimator": config.estimator,
            "C": config.category_c,
            "min_df": config.min_df,
            **{name: round(float(np.mean(values)), 4) for name, values in scores.items()},
            "seconds": round(time.perf_counter() - started, 1),
        }
        out(json.dumps(row))
        table.append(row)
    return table


def predictions(model: TriageModel, texts: Sequence[str], version: str | None = None) -> list[TriageResult]:
    """Model + rules on raw texts (used by the external evaluation)."""
    return Predictor(model, version).classify_batch(texts, DEFAULT_REVIEW_THRESHOLD)


def compare_with_baseline(
    rows: Sequence[LabelledReport],
    baseline_rows: Sequence[LabelledReport],
    baseline_config: TrainingConfig,
    config: TrainingConfig | None = None,
    seeds: Sequence[int] = (7, 11),
    out: Callable[[str], None] = print,
) -> list[dict[str, Any]]:
    """Grouped 5-fold cross-validation of two recipes (data + config) on the same reports.

    For a data change, where the held-out splits of the two versions differ and the reports neither
    version has seen are few. Folds are drawn over ``rows`` (the new data, whose labels are scored);
    the baseline is trained on its own rows minus every group of the test fold (its rows are mapped to
    the new groups through their texts), the new recipe on the other folds. Every report is scored
    once per seed, by models that did not see its group. Safety rules as in this checkout.
    """
    config = config or TrainingConfig()
    group_of_text = {text_key(row.text): row.group or row.id for row in rows}
    new_groups_of: dict[str, set[str]] = {}
    for row in baseline_rows:
        mapped = group_of_text.get(text_key(row.text))
        new_groups_of.setdefault(row.group or row.id, set()).update([mapped] if mapped else [])
    rules = default_rules()

    def fit(training: Sequence[LabelledReport], chosen: TrainingConfig, seed: int) -> TriageModel:
        return fit_model(
            [model_text(normalize_text(row.text)) for row in training],
            [row.category for row in training],
            [row.urgency for row in training],
            [row.group or row.id for row in training],
            chosen,
            seed,
        )

    table: list[dict[str, Any]] = []
    for seed in seeds:
        splitter = StratifiedGroupKFold(n_splits=HELD_OUT_FOLDS, shuffle=True, random_state=seed)
        truth: list[LabelledReport] = []
        predicted: dict[str, list[TriageResult]] = {"baseline": [], "new": []}
        for fit_index, test_index in splitter.split(
            np.zeros(len(rows)), [row.category for row in rows], [row.group or row.id for row in rows]
        ):
            test = [rows[i] for i in test_index]
            test_groups = {row.group or row.id for row in test}
            baseline_training = [
                row
                for row in baseline_rows
                if not new_groups_of.get(row.group or row.id, set()) & test_groups
            ]
            models = {
                "baseline": fit(baseline_training, baseline_config, seed),
                "new": fit([rows[i] for i in fit_index], config, seed),
            }
            for name, model in models.items():
                predicted[name] += Predictor(model, name, rules).classify_batch(
                    [row.text for row in test], 0.6
                )
            truth += test
        for name, results in predicted.items():
            categories = [row.category for row in truth]
            critical = [i for i, row in enumerate(truth) if row.urgency == "critical"]
            flagged = [i for i, result in enumerate(results) if result.urgency == "critical"]
            hits = sum(1 for i in critical if results[i].urgency == "critical")
            row_figures: dict[str, Any] = {
                "seed": seed,
                "recipe": name,
                "rows": len(truth),
                "category_macro_f1": round(
                    float(f1_score(categories, [r.category for r in results], average="macro")), 4
                ),
                "category_accuracy": pair_accuracy(
                    [(c, r.category) for c, r in zip(categories, results, strict=True)]
                ),
                "critical_recall": round(hits / len(critical), 4) if critical else None,
                "critical_precision": round(hits / len(flagged), 4) if flagged else None,
                "urgency_accuracy": pair_accuracy(
                    [(row.urgency, r.urgency) for row, r in zip(truth, results, strict=True)]
                ),
            }
            out(json.dumps(row_figures))
            table.append(row_figures)
    return table


def compare_on_writers(
    rows: Sequence[LabelledReport],
    writer_rows: Sequence[LabelledReport],
    candidates: Sequence[TrainingConfig],
    seed: int = 42,
    out: Callable[[str], None] = print,
) -> list[dict[str, Any]]:
    """Candidate configs judged as the policy is chosen: on the train split's grouped folds and on
    leave-one-writer-out folds over the new writers (``policy.validation_folds``), each with the policy
    it would get. Prints one JSON line per config and segment (corpus, new_writers); TRAIN part only.
    """
    from triage.training.policy import (
        ORDER,
        PolicyTargets,
        apply,
        choose_policy,
        figures,
        out_of_fold,
        rule_floors,
    )

    train_index, _ = held_out_split(rows, seed)
    training = [rows[i] for i in train_index] + list(writer_rows)
    normalized = [model_text(normalize_text(row.text)) for row in training]
    groups = [row.group or row.id for row in training]
    floors = rule_floors(training)
    truth = np.asarray([ORDER.index(row.urgency) for row in training], dtype=np.intp)
    categories = [row.category for row in training]
    table: list[dict[str, Any]] = []
    for config in candidates:
        started = time.perf_counter()
        oof = out_of_fold(training, normalized, groups, config, seed)
        segment = np.asarray(oof.segment)
        masks = {name: segment == name for name in ("corpus", "new_writers") if (segment == name).any()}
        targets = PolicyTargets(
            max_calm_critical=config.max_calm_critical,
            min_within_one=config.min_within_one,
            target_critical_recall=config.target_critical_recall,
            max_calm_flagged=config.max_calm_flagged,
        )
        policy, _ = choose_policy(oof.urgency, floors, truth, targets, masks)
        ranks = apply(policy, oof.urgency, floors)
        predicted = [oof.category_labels[i] for i in np.argmax(oof.category, axis=1)]
        for name, mask in masks.items():
            chosen = np.flatnonzero(mask)
            row = {
                "writer_weight": config.writer_weight,
                "category_c": config.category_c,
                "urgency_c": config.urgency_c,
                "segment": name,
                "rows": int(mask.sum()),
                "policy": [policy.critical, policy.high, policy.normal],
                "category_macro_f1": round(
                    float(f1_score([categories[i] for i in chosen], [predicted[i] for i in chosen], average="macro")), 4
                ),
                **{key: round(value, 4) for key, value in figures(ranks[mask], truth[mask]).items()},
                "seconds": round(time.perf_counter() - started, 1),
            }
            out(json.dumps(row))
            table.append(row)
    return table
