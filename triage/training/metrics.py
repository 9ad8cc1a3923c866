"""Held-out metrics of a model + the safety rules on labelled reports."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np
from sklearn.metrics import (
    accuracy_score,
    confusion_matrix,
    f1_score,
    log_loss,
    precision_recall_fscore_support,
)

from triage.config import DEFAULT_REVIEW_THRESHOLD
from triage.model import TriageModel
from triage.normalize import model_text, normalize_text
from triage.predict import Predictor
from triage.rules import RuleSet
from triage.taxonomy import CATEGORIES, URGENCIES
from triage.text import strip_diacritics
from triage.training.data import LabelledReport
from triage.training.independent import urgency_figures


def _per_class(truth: Sequence[str], predicted: Sequence[str], labels: Sequence[str]) -> dict[str, Any]:
    precision, recall, f1, support = precision_recall_fscore_support(
        truth, predicted, labels=list(labels), zero_division=0
    )
    present = [label for label in labels if label in set(truth)]
    return {
        "accuracy": round(float(accuracy_score(truth, predicted)), 4) if truth else None,
        "macro_f1": round(
            float(f1_score(truth, predicted, labels=present, average="macro", zero_division=0)), 4
        )
        if truth
        else None,
        "per_class": {
            label: {
                "precision": round(float(p), 4),
                "recall": round(float(r), 4),
                "f1": round(float(f), 4),
                "support": int(s),
            }
            for label, p, r, f, s in zip(labels, precision, recall, f1, support, strict=True)
        },
        "confusion_matrix": {
            "labels": list(labels),
            "rows_are": "true label",
            "matrix": confusion_matrix(truth, predicted, labels=list(labels)).tolist() if truth else [],
        },
    }


def pair_accuracy(pairs: Sequence[tuple[str, str]]) -> float | None:
    if not pairs:
        return None
    return round(sum(1 for truth, predicted in pairs if truth == predicted) / len(pairs), 4)


def _expected_calibration_error(
    confidences: Sequence[float], correct: Sequence[bool], bins: int = 10
) -> float:
    total = len(confidences)
    if total == 0:
        return 0.0
    error = 0.0
    edges = np.linspace(0.0, 1.0, bins + 1)
    conf = np.asarray(confidences)
    hit = np.asarray(correct, dtype=float)
    for low, high in zip(edges[:-1], edges[1:], strict=True):
        in_bin = (conf > low) & (conf <= high) if low > 0 else (conf >= low) & (conf <= high)
        if in_bin.any():
            error += abs(hit[in_bin].mean() - conf[in_bin].mean()) * in_bin.sum() / total
    return round(float(error), 4)


def _same_text_gap(
    predictor: Predictor, rows: Sequence[LabelledReport], results: Sequence[Any], review_threshold: float
) -> dict[str, Any]:
    """The accented Vietnamese rows scored again with their marks stripped (the same texts, issue 14)."""
    chosen = [i for i, row in enumerate(rows) if row.lang == "vi" and row.accents == "1"]
    stripped = predictor.classify_batch([strip_diacritics(rows[i].text) for i in chosen], review_threshold)
    with_marks = pair_accuracy([(rows[i].category, results[i].category) for i in chosen])
    without = pair_accuracy([(rows[i].category, r.category) for i, r in zip(chosen, stripped, strict=True)])
    return {
        "rows": len(chosen),
        "category_accuracy_with_marks": with_marks,
        "category_accuracy_without_marks": without,
        "accuracy_gap": round(with_marks - without, 4) if with_marks is not None and without is not None else None,
        "same_category_share": round(
            sum(results[i].category == r.category for i, r in zip(chosen, stripped, strict=True)) / len(chosen), 4
        )
        if chosen
        else None,
    }


def evaluate(
    model: TriageModel,
    rows: Sequence[LabelledReport],
    *,
    model_version: str | None = None,
    rules: RuleSet | None = None,
    review_threshold: float = DEFAULT_REVIEW_THRESHOLD,
) -> dict[str, Any]:
    """Held-out metrics of ``model`` (+ safety rules) on ``rows``."""
    predictor = Predictor(model, model_version, rules)
    texts = [row.text for row in rows]
    results = predictor.classify_batch(texts, review_threshold)
    normalized = [model_text(normalize_text(text)) for text in texts]
    category_proba, urgency_proba = model.predict_proba(normalized)
    model_urgency = [urgency for urgency, _ in model.decide_urgency(urgency_proba)]
    true_category = [row.category for row in rows]
    true_urgency = [row.urgency for row in rows]
    predicted_category = [result.category for result in results]
    predicted_urgency = [result.urgency for result in results]

    critical_rows = [i for i, row in enumerate(rows) if row.urgency == "critical"]
    predicted_critical = [i for i, result in enumerate(results) if result.urgency == "critical"]
    critical_hits = sum(1 for i in critical_rows if results[i].urgency == "critical")

    def subset(keep: Callable[[LabelledReport], bool]) -> dict[str, Any]:
        chosen = [i for i, row in enumerate(rows) if keep(row)]
        return {
            "rows": len(chosen),
            "category_accuracy": pair_accuracy([(true_category[i], predicted_category[i]) for i in chosen]),
            "urgency_accuracy": pair_accuracy([(true_urgency[i], predicted_urgency[i]) for i in chosen]),
        }

    accented = subset(lambda row: row.lang == "vi" and row.accents == "1")
    unaccented = subset(lambda row: row.lang == "vi" and row.accents == "0")
    gap = (
        round(accented["category_accuracy"] - unaccented["category_accuracy"], 4)
        if accented["category_accuracy"] is not None and unaccented["category_accuracy"] is not None
        else None
    )
    confidences = [result.confidence for result in results]
    correct = [truth == predicted for truth, predicted in zip(true_category, predicted_category, strict=True)]
    auto = [i for i, result in enumerate(results) if not result.needs_review]
    labels_in_model = list(model.category.labels)
    return {
        "rows": len(rows),
        "category": _per_class(true_category, predicted_category, CATEGORIES),
        "category_log_loss": round(float(log_loss(true_category, category_proba, labels=labels_in_model)), 4)
        if rows and set(true_category) <= set(labels_in_model)
        else None,
        "category_ece": _expected_calibration_error(confidences, correct),
        "urgency": _per_class(true_urgency, predicted_urgency, URGENCIES),
        "urgency_model_only_accuracy": pair_accuracy(list(zip(true_urgency, model_urgency, strict=True))),
        # the issue-14 operating point (triage.training.independent.urgency_figures), model + rules
        "operating_point": urgency_figures(true_urgency, predicted_urgency),
        "urgency_unsure_rate": round(sum("urgency_unsure" in r.review_reasons for r in results) / len(rows), 4)
        if rows
        else None,
        "critical": {
            "support": len(critical_rows),
            "recall_model_only": round(
                sum(1 for i in critical_rows if model_urgency[i] == "critical") / len(critical_rows), 4
            )
            if critical_rows
            else None,
            "recall": round(critical_hits / len(critical_rows), 4) if critical_rows else None,
            "precision": round(critical_hits / len(predicted_critical), 4) if predicted_critical else None,
            "predicted": len(predicted_critical),
            "missed_ids": [rows[i].id for i in critical_rows if results[i].urgency != "critical"],
        },
        "rules": {
            "rows_with_a_rule": sum(1 for result in results if result.rules_fired),
            "raised_urgency": sum(
                1 for i, result in enumerate(results) if result.urgency != model_urgency[i]
            ),
        },
        "by_accents": {"accented": accented, "unaccented": unaccented, "accuracy_gap": gap},
        "same_text_without_marks": _same_text_gap(predictor, rows, results, review_threshold),
        "by_language": {
            lang: subset(lambda row, lang=lang: row.lang == lang)  # type: ignore[misc]
            for lang in sorted({row.lang for row in rows if row.lang})
        },
        "review": {
            "threshold": review_threshold,
            "needs_review_rate": round(sum(1 for r in results if r.needs_review) / len(rows), 4)
            if rows
            else None,
            "auto_routed": len(auto),
            "auto_routed_category_accuracy": pair_accuracy(
                [(true_category[i], predicted_category[i]) for i in auto]
            ),
        },
    }



def comparison_metrics(metrics: Mapping[str, Any]) -> dict[str, float | None]:
    """The figures promotion compares."""
    return {
        "category_macro_f1": metrics["category"]["macro_f1"],
        "critical_recall": metrics["critical"]["recall"],
        "urgency_accuracy": metrics["urgency"]["accuracy"],
        "category_accuracy": metrics["category"]["accuracy"],
    }
