"""Training, held-out evaluation and promotion of triage models.

``train(rows, seed)`` splits the labelled reports into train and held-out parts by their ``group``
column (variants of one underlying report stay on one side, so the held-out score is not inflated by
near-duplicates), fits the features and both heads on the train part, evaluates on the held-out part
and writes a new version directory (``triage.artifacts``). Same rows + same seed = same split, same
model, same metrics.

Operator corrections (``extra_examples``) are added to the training part only; the held-out part is
always the seed data's, so ``promote_if_not_worse`` compares a retrained model with the active one on
exactly the same reports before making it active.
"""

from __future__ import annotations

import csv
import hashlib
import json
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Final, Literal

import numpy as np
from numpy.typing import NDArray
from sklearn.calibration import CalibratedClassifierCV
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import (
    accuracy_score,
    confusion_matrix,
    f1_score,
    log_loss,
    precision_recall_fscore_support,
)
from sklearn.model_selection import StratifiedGroupKFold
from sklearn.svm import LinearSVC
from tqdm import tqdm

from triage import artifacts
from triage.lexicon import LEXICON_SHA256
from triage.model import Head, TriageModel, char_ngrams, word_ngrams
from triage.normalize import NORMALIZER_VERSION, normalize_text
from triage.predict import DEFAULT_REVIEW_THRESHOLD, Predictor, TriageResult
from triage.rules import RuleSet, default_rules
from triage.taxonomy import CATEGORIES, URGENCIES

DEFAULT_DATA_PATH: Final = Path(__file__).resolve().parent / "data" / "reports.csv"
HELD_OUT_FOLDS: Final = 5  # one fold of five (20 %) is held out
# One line per training row: a short hash of its text. Lets a later version be compared with this one
# on held-out reports that neither has seen, even when the data (and so the split) has changed.
TRAINED_ON_FILE: Final = "trained_on.txt"


def text_key(text: str) -> str:
    """A short, stable key of a report's text (sha256 of the NFC text, 16 hex digits)."""
    import unicodedata

    return hashlib.sha256(unicodedata.normalize("NFC", text).encode("utf-8")).hexdigest()[:16]


def write_trained_on(path: Path, rows: Iterable[LabelledReport]) -> None:
    """The text keys of the rows a version was trained on (sorted, one per line)."""
    keys = sorted({text_key(row.text) for row in rows})
    path.write_text("".join(f"{key}\n" for key in keys), encoding="ascii")


def read_trained_on(version_dir: Path) -> frozenset[str] | None:
    """The text keys a version was trained on, or None if it did not record them."""
    try:
        return frozenset(line for line in (version_dir / TRAINED_ON_FILE).read_text("ascii").split() if line)
    except FileNotFoundError:
        return None


def unseen_by(held_out: Sequence[LabelledReport], trained_on: frozenset[str]) -> list[LabelledReport]:
    """Held-out rows whose whole group is unknown to a model trained on ``trained_on``.

    A group counts as seen if any of its rows was trained on (variants of one report are near-copies).
    """
    seen_groups = {row.group or row.id for row in held_out if text_key(row.text) in trained_on}
    return [
        row
        for row in held_out
        if (row.group or row.id) not in seen_groups and text_key(row.text) not in trained_on
    ]


@dataclass(frozen=True, slots=True)
class LabelledReport:
    """One labelled report: a row of triage/data/reports.csv or an operator's correction."""

    text: str
    category: str
    urgency: str
    id: str = ""
    group: str = ""
    lang: str = ""
    accents: str = ""
    source: str = ""


@dataclass(frozen=True, slots=True)
class TrainingConfig:
    """Model choices; the defaults are what the committed model was trained with (see MODEL_CARD.md)."""

    # Chosen by grouped 3-fold cross-validation on the train split (`python -m triage compare`).
    # 2026.11.22-4 (data batches 6-9, lexicon 3, 14,335 training rows), CV means: calibrated LinearSVC
    # category C 0.3 / 0.5 / 1.0 -> macro-F1 0.8815 / 0.8818 / 0.8821, log loss 0.438 / 0.437 / 0.437
    # (logistic regression C 20: 0.8735, log loss 0.457); urgency C 0.25 / 0.5 / 1.0 within 0.002.
    # With C 0.5, P(critical) >= 0.30 / 0.25 / 0.20 / 0.15 -> critical recall with rules 0.947 / 0.954 /
    # 0.957 / 0.961, precision 0.69 / 0.67 / 0.65 / 0.61, urgency accuracy 0.779 / 0.776 / 0.772 / 0.765.
    # Critical recall is what matters most (issue 3), so 0.15.
    # Earlier (2026.11.22-3, smaller data) and not better under CV, so not used: min_df=1,
    # class_weight=None, char 1-4-grams instead of 2-5, a logistic-regression + SVM average (+0.004
    # macro-F1), an urgency head fed with the category head's out-of-fold scores (-0.01 to -0.02 urgency
    # accuracy); for 2026.11.22-4 also accented word features beside the folded ones, word 1-3-grams,
    # NB-SVM, complement NB, group-balanced sample weights, concept-pair features, and a stacked
    # gradient-boosting or logistic second stage over the SVM scores and the concepts (all within
    # +/-0.01 or worse). The lexicon (+0.024) and more data were what moved it.
    estimator: Literal["logreg", "svc"] = "svc"
    category_c: float = 0.5
    urgency_c: float = 0.5
    class_weight: Literal["balanced"] | None = "balanced"
    critical_probability: float = 0.15
    min_df: int = 2
    max_char_features: int = 80_000
    max_word_features: int = 30_000
    review_threshold: float = DEFAULT_REVIEW_THRESHOLD


@dataclass(frozen=True)
class TrainingOutcome:
    """A trained and written model version, with what it was judged on."""

    version: str
    path: Path
    model: TriageModel
    metrics: dict[str, Any]
    held_out: tuple[LabelledReport, ...]
    seed: int
    config: TrainingConfig = field(default_factory=TrainingConfig)


def _check_label(report: LabelledReport, where: str) -> None:
    if report.category not in CATEGORIES:
        raise ValueError(f"{where}: unknown category {report.category!r}")
    if report.urgency not in URGENCIES:
        raise ValueError(f"{where}: unknown urgency {report.urgency!r}")
    if not report.text.strip():
        raise ValueError(f"{where}: empty text")


def read_reports(path: Path | str = DEFAULT_DATA_PATH) -> list[LabelledReport]:
    """Rows of a labelled CSV (columns id,group,text,category,urgency,lang,accents,source)."""
    rows: list[LabelledReport] = []
    with Path(path).open(encoding="utf-8", newline="") as handle:
        for number, record in enumerate(csv.DictReader(handle), start=2):
            report = as_report(record)
            _check_label(report, f"{path}:{number}")
            rows.append(report)
    return rows


def as_report(record: LabelledReport | Mapping[str, Any]) -> LabelledReport:
    """A LabelledReport from itself or from a mapping with at least text, category, urgency."""
    if isinstance(record, LabelledReport):
        return record
    return LabelledReport(
        text=str(record["text"]),
        category=str(record["category"]).strip(),
        urgency=str(record["urgency"]).strip(),
        id=str(record.get("id", "") or ""),
        group=str(record.get("group", "") or ""),
        lang=str(record.get("lang", "") or ""),
        accents=str(record.get("accents", "") or ""),
        source=str(record.get("source", "") or ""),
    )


def data_hash(rows: Sequence[LabelledReport]) -> str:
    """sha256 of the rows' content, independent of file formatting."""
    digest = hashlib.sha256()
    for row in rows:
        digest.update(json.dumps(asdict(row), ensure_ascii=False, sort_keys=True).encode("utf-8"))
        digest.update(b"\n")
    return digest.hexdigest()


def held_out_split(rows: Sequence[LabelledReport], seed: int) -> tuple[NDArray[np.intp], NDArray[np.intp]]:
    """Indices of the train and held-out rows: one fold of a grouped, category-stratified 5-fold split."""
    groups = [row.group or row.id or f"row-{index}" for index, row in enumerate(rows)]
    splitter = StratifiedGroupKFold(n_splits=HELD_OUT_FOLDS, shuffle=True, random_state=seed)
    train_index, test_index = next(splitter.split(np.zeros(len(rows)), [r.category for r in rows], groups))
    return np.sort(train_index), np.sort(test_index)


def _vectorizers(config: TrainingConfig) -> tuple[TfidfVectorizer, TfidfVectorizer]:
    common: dict[str, Any] = {
        "sublinear_tf": True,
        "min_df": config.min_df,
        "dtype": np.float32,
        "lowercase": False,
    }
    return (
        TfidfVectorizer(analyzer=char_ngrams, max_features=config.max_char_features, **common),
        TfidfVectorizer(analyzer=word_ngrams, max_features=config.max_word_features, **common),
    )


def head_from_logistic_regression(classifier: LogisticRegression) -> Head:
    """The arrays of a fitted multinomial logistic regression."""
    n_labels = len(classifier.classes_)
    return Head(
        labels=tuple(str(label) for label in classifier.classes_),
        weights=np.ascontiguousarray(classifier.coef_.T, dtype=np.float32),
        bias=np.asarray(classifier.intercept_, dtype=np.float32),
        calibration="softmax",
        sigmoid_a=np.zeros(n_labels, dtype=np.float32),
        sigmoid_b=np.zeros(n_labels, dtype=np.float32),
    )


def head_from_calibrated_svm(calibrated: CalibratedClassifierCV) -> Head:
    """The arrays of a fitted ``CalibratedClassifierCV(LinearSVC, method="sigmoid", ensemble=False)``."""
    inner = calibrated.calibrated_classifiers_[0]
    svm = inner.estimator
    return Head(
        labels=tuple(str(label) for label in calibrated.classes_),
        weights=np.ascontiguousarray(svm.coef_.T, dtype=np.float32),
        bias=np.asarray(svm.intercept_, dtype=np.float32),
        calibration="sigmoid",
        sigmoid_a=np.asarray([c.a_ for c in inner.calibrators], dtype=np.float32),
        sigmoid_b=np.asarray([c.b_ for c in inner.calibrators], dtype=np.float32),
    )


def _fit_head(
    features: Any,
    labels: Sequence[str],
    groups: Sequence[str],
    c_value: float,
    config: TrainingConfig,
    seed: int,
) -> Head:
    if config.estimator == "logreg":
        classifier = LogisticRegression(C=c_value, max_iter=3000, class_weight=config.class_weight)
        return head_from_logistic_regression(classifier.fit(features, labels))
    # Calibrate on grouped folds: near-duplicate variants in both halves would make it overconfident.
    folds = list(
        StratifiedGroupKFold(n_splits=3, shuffle=True, random_state=seed).split(features, labels, groups)
    )
    calibrated = CalibratedClassifierCV(
        LinearSVC(C=c_value, class_weight=config.class_weight, random_state=seed),
        method="sigmoid",
        cv=folds,
        ensemble=False,
    )
    return head_from_calibrated_svm(calibrated.fit(features, labels))


def fit_model(
    normalized_texts: Sequence[str],
    categories: Sequence[str],
    urgencies: Sequence[str],
    groups: Sequence[str],
    config: TrainingConfig,
    seed: int,
    progress: tqdm[Any] | None = None,
) -> TriageModel:
    """Fit features and both heads on already normalised texts."""
    char_vectorizer, word_vectorizer = _vectorizers(config)
    char_features = char_vectorizer.fit_transform(normalized_texts)
    word_features = word_vectorizer.fit_transform(normalized_texts)
    _advance(progress, "features")
    # Train the heads on exactly the features prediction computes (triage.model), not on scikit-learn's
    # matrices, so the two can never drift apart.
    model_without_heads = TriageModel(
        char_vocabulary={str(k): int(v) for k, v in char_vectorizer.vocabulary_.items()},
        char_idf=np.asarray(char_vectorizer.idf_, dtype=np.float32),
        word_vocabulary={str(k): int(v) for k, v in word_vectorizer.vocabulary_.items()},
        word_idf=np.asarray(word_vectorizer.idf_, dtype=np.float32),
        category=_empty_head(),
        urgency=_empty_head(),
        critical_probability=config.critical_probability,
    )
    del char_features, word_features
    features = model_without_heads.features(normalized_texts)
    category = _fit_head(features, categories, groups, config.category_c, config, seed)
    _advance(progress, "category head")
    urgency = _fit_head(features, urgencies, groups, config.urgency_c, config, seed)
    _advance(progress, "urgency head")
    return TriageModel(
        char_vocabulary=model_without_heads.char_vocabulary,
        char_idf=model_without_heads.char_idf,
        word_vocabulary=model_without_heads.word_vocabulary,
        word_idf=model_without_heads.word_idf,
        category=category,
        urgency=urgency,
        critical_probability=config.critical_probability,
    )


def _empty_head() -> Head:
    empty = np.zeros(0, dtype=np.float32)
    return Head(labels=(), weights=np.zeros((0, 0), dtype=np.float32), bias=empty, calibration="softmax",
                sigmoid_a=empty, sigmoid_b=empty)  # fmt: skip


def _advance(progress: tqdm[Any] | None, step: str) -> None:
    if progress is not None:
        progress.set_postfix_str(step)
        progress.update(1)


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


def _accuracy(pairs: Sequence[tuple[str, str]]) -> float | None:
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
    normalized = [normalize_text(text).folded for text in texts]
    category_proba, urgency_proba = model.predict_proba(normalized)
    model_urgency = model.decide_urgency(urgency_proba)
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
            "category_accuracy": _accuracy([(true_category[i], predicted_category[i]) for i in chosen]),
            "urgency_accuracy": _accuracy([(true_urgency[i], predicted_urgency[i]) for i in chosen]),
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
        "urgency_model_only_accuracy": _accuracy(list(zip(true_urgency, model_urgency, strict=True))),
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
            "auto_routed_category_accuracy": _accuracy(
                [(true_category[i], predicted_category[i]) for i in auto]
            ),
        },
    }


def train(
    rows: Sequence[LabelledReport | Mapping[str, Any]],
    seed: int = 42,
    extra_examples: Iterable[LabelledReport | Mapping[str, Any]] = (),
    progress: bool = True,
    *,
    config: TrainingConfig | None = None,
    root: Path | None = None,
    version: str | None = None,
    data_source: str = "",
) -> TrainingOutcome:
    """Split, fit, evaluate on the held-out split and write a new model version (not yet active)."""
    config = config or TrainingConfig()
    reports = [as_report(row) for row in rows]
    extra = [as_report(row) for row in extra_examples]
    for index, report in enumerate(reports + extra):
        _check_label(report, f"row {index}")
    bar: tqdm[Any] | None = tqdm(total=6, desc="train triage", unit="step", disable=not progress)
    started = time.perf_counter()
    train_index, test_index = held_out_split(reports, seed)
    training = [reports[i] for i in train_index] + extra
    held_out = tuple(reports[i] for i in test_index)
    normalized = [
        normalize_text(report.text).folded
        for report in tqdm(training, desc="normalise", unit="report", disable=not progress, leave=False)
    ]
    _advance(bar, "split + normalise")
    model = fit_model(
        normalized,
        [report.category for report in training],
        [report.urgency for report in training],
        [report.group or report.id or f"extra-{i}" for i, report in enumerate(training)],
        config,
        seed,
        bar,
    )
    root = root or artifacts.models_root()
    version = version or artifacts.next_version(root)
    metrics = evaluate(model, held_out, model_version=version, review_threshold=config.review_threshold)
    _advance(bar, "evaluate")
    hash_of_data = data_hash(reports)
    training_info = {
        "seed": seed,
        "config": asdict(config),
        "data_source": data_source,
        "data_rows": len(reports),
        "train_rows": len(train_index),
        "held_out_rows": len(test_index),
        "extra_examples": len(extra),
        "extra_examples_hash": data_hash(extra) if extra else None,
        "held_out_ids_sha256": hashlib.sha256("\n".join(r.id for r in held_out).encode()).hexdigest(),
        "split": f"StratifiedGroupKFold(n_splits={HELD_OUT_FOLDS}, shuffle=True, random_state=seed), fold 0 "
        "held out; stratified by category, grouped by the group column",
    }
    metrics = {
        "model_version": version,
        "data_hash": hash_of_data,
        "libraries": artifacts.library_versions(),
        "normalizer_version": NORMALIZER_VERSION,
        "lexicon_sha256": LEXICON_SHA256,
        "training": training_info,
        "model": {
            "estimator": config.estimator,
            "features": {
                "char_ngrams": len(model.char_vocabulary),
                "word_ngrams": len(model.word_vocabulary),
            },
        },
        "held_out": metrics,
    }
    path = artifacts.write_version(model, version, data_hash=hash_of_data, training=training_info, root=root)
    write_trained_on(path / TRAINED_ON_FILE, training)
    metrics["model"]["file_bytes"] = (path / artifacts.MODEL_FILE).stat().st_size
    metrics["training"]["seconds"] = round(time.perf_counter() - started, 1)
    artifacts.write_json(path / artifacts.METRICS_FILE, metrics)
    from triage.report import write_confusion_png, write_model_card

    write_confusion_png(path / artifacts.CONFUSION_FILE, metrics["held_out"])
    write_model_card(path, metrics)
    _advance(bar, "write")
    if bar is not None:
        bar.close()
    return TrainingOutcome(
        version=version, path=path, model=model, metrics=metrics, held_out=held_out, seed=seed, config=config
    )


def comparison_metrics(metrics: Mapping[str, Any]) -> dict[str, float | None]:
    """The figures promotion compares."""
    return {
        "category_macro_f1": metrics["category"]["macro_f1"],
        "critical_recall": metrics["critical"]["recall"],
        "urgency_accuracy": metrics["urgency"]["accuracy"],
        "category_accuracy": metrics["category"]["accuracy"],
    }


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


def read_feedback(path: Path | str) -> list[LabelledReport]:
    """Operator-corrected reports from a CSV with at least text, category and urgency columns."""
    examples: list[LabelledReport] = []
    with Path(path).open(encoding="utf-8", newline="") as handle:
        for number, record in enumerate(csv.DictReader(handle), start=2):
            report = as_report(record)
            _check_label(report, f"{path}:{number}")
            examples.append(report)
    return examples


def compare_estimators(
    rows: Sequence[LabelledReport],
    seed: int = 42,
    candidates: Sequence[TrainingConfig] | None = None,
    out: Callable[[str], None] = print,
) -> list[dict[str, Any]]:
    """Grouped 3-fold cross-validation of candidate configs on the TRAIN part only (not the held-out)."""
    # The grid behind TrainingConfig's defaults (see its comment).
    candidates = candidates or [
        TrainingConfig(estimator="logreg", category_c=20.0, urgency_c=20.0, critical_probability=0.25)
    ] + [
        TrainingConfig(category_c=c, urgency_c=u, critical_probability=0.25)
        for c, u in ((0.3, 0.5), (0.5, 0.5), (1.0, 0.5), (0.5, 0.25), (0.5, 1.0))
    ] + [TrainingConfig(category_c=0.5, critical_probability=p) for p in (0.15, 0.2, 0.3)]
    train_index, _ = held_out_split(rows, seed)
    training = [rows[i] for i in train_index]
    normalized = [normalize_text(row.text).folded for row in training]
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
            "critical_probability": config.critical_probability,
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
            [normalize_text(row.text).folded for row in training],
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
                "category_accuracy": _accuracy(
                    [(c, r.category) for c, r in zip(categories, results, strict=True)]
                ),
                "critical_recall": round(hits / len(critical), 4) if critical else None,
                "critical_precision": round(hits / len(flagged), 4) if flagged else None,
                "urgency_accuracy": _accuracy(
                    [(row.urgency, r.urgency) for row, r in zip(truth, results, strict=True)]
                ),
            }
            out(json.dumps(row_figures))
            table.append(row_figures)
    return table
