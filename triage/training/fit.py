"""Fitting the features and both heads of a triage model (scikit-learn at training time only)."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import scipy.sparse as sp
from sklearn.calibration import CalibratedClassifierCV
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedGroupKFold
from sklearn.svm import LinearSVC
from tqdm import tqdm

from triage.config import DEFAULT_REVIEW_THRESHOLD
from triage.model import Head, TriageModel, UrgencyPolicy, char_ngrams, word_ngrams
from triage.taxonomy import URGENCIES


@dataclass(frozen=True, slots=True)
class TrainingConfig:
    """Model choices; the defaults are what the committed model was trained with (see MODEL_CARD.md)."""

    # Chosen by grouped 3-fold cross-validation on the train split (`python -m triage compare`).
    # 2026.11.22-4 (data batches 6-9, lexicon 3, 14,335 training rows), CV means: calibrated LinearSVC
    # category C 0.3 / 0.5 / 1.0 -> macro-F1 0.8815 / 0.8818 / 0.8821, log loss 0.438 / 0.437 / 0.437
    # (logistic regression C 20: 0.8735, log loss 0.457); urgency C 0.25 / 0.5 / 1.0 within 0.002.
    # With C 0.5, P(critical) >= 0.30 / 0.25 / 0.20 / 0.15 -> critical recall with rules 0.947 / 0.954 /
    # 0.957 / 0.961, precision 0.69 / 0.67 / 0.65 / 0.61, urgency accuracy 0.779 / 0.776 / 0.772 / 0.765.
    # Critical recall is what matters most (issue 3), so 0.15. Since issue 14 that threshold is no
    # longer set by hand: the urgency policy (triage.training.policy) is chosen on out-of-fold
    # predictions of the train split for the operating point, and an unsure band goes to review.
    # Earlier (2026.11.22-3, smaller data) and not better under CV, so not used: min_df=1,
    # class_weight=None, char 1-4-grams instead of 2-5, a logistic-regression + SVM average (+0.004
    # macro-F1), an urgency head fed with the category head's out-of-fold scores (-0.01 to -0.02 urgency
    # accuracy); for 2026.11.22-4 also accented word features beside the folded ones, word 1-3-grams,
    # NB-SVM, complement NB, group-balanced sample weights, concept-pair features, and a stacked
    # gradient-boosting or logistic second stage over the SVM scores and the concepts (all within
    # +/-0.01 or worse). The lexicon (+0.024) and more data were what moved it.
    estimator: Literal["logreg", "svc"] = "svc"
    # "flat": one calibrated one-vs-rest head over the four levels; "ordinal": one calibrated binary
    # head per step of the scale, P(normal or worse), P(high or worse), P(critical) (issue 14: urgency
    # is an ordered scale, and the policy reads exactly those cumulative probabilities). svc only.
    # Compared on 2026-12-08 (`python -m triage.training.experiment flat ordinal ordinal_c025 ordinal_c1
    # flat_en2 flat_critbin mixture`: the policy's folds, 5 grouped corpus folds + leave-one-writer-out over
    # writers D-H, each variant with the policy it would get, then the held-out split; vocabulary shared
    # across folds). Flat C 0.5 / ordinal C 0.5 / 0.25 / 1: corpus folds critical recall 0.932 / 0.948 /
    # 0.949 / 0.945, urgency accuracy 0.786 / 0.778 / 0.781 / 0.779; new writers critical recall 0.784 /
    # 0.823 / 0.832 / 0.817, accuracy 0.698 / 0.703 / 0.702 / 0.695 (false criticals 2.6 / 2.9 / 2.8 /
    # 3.0 %); held-out critical recall 0.938 / 0.948 / 0.950 / 0.944, accuracy 0.783 / 0.772 / 0.776 /
    # 0.776. A full `train --urgency-head ordinal --urgency-c 0.25` (seed 42) then scored on held-out:
    # critical recall 0.944 at 1.4 % false criticals, urgency accuracy 0.776 -- the same recall as the
    # active flat model 2026.12.07-2 and 0.012 lower accuracy, so not adopted and never scored on the
    # independent set, although on the writer folds it beat the flat head on the same data (recall 0.790
    # -> 0.817, accuracy 0.695 -> 0.704, false criticals 2.8 -> 2.6 %). Also not better: English rows
    # weighted x2 (every figure lower, English too) and the flat head with a separate critical-vs-not head
    # (new writers recall 0.811 but accuracy 0.676); the mean of the flat and ordinal heads (`mixture`:
    # new writers accuracy 0.711, recall 0.814, but held-out accuracy 0.777).
    urgency_head: Literal["flat", "ordinal"] = "flat"
    category_c: float = 0.5
    # The category head is fitted on features whose word block (word 1-2-grams and concept tokens) is
    # multiplied by this, then the factor is folded into the head's word weights: the same prediction
    # arithmetic and file format, only the balance of the SVM's penalty between the two blocks changes
    # (a word weight costs 1/scale^2 as much). Compared on 2026-12-08 (`python -m triage.training.
    # category_experiment base words_x1.5 words_x2 words_x3`; 2026.12.07-2's NOTES): x1 / 1.5 / 2 / 3 ->
    # corpus folds macro-F1 0.894 / 0.899 / 0.900 / 0.900, unseen writers (LOWO) 0.877 / 0.882 / 0.885 /
    # 0.886, but held-out (calibrated) 0.899 / 0.898 / 0.902 / 0.899: not clearly better on held-out, so 1.
    category_word_scale: float = 1.0
    urgency_c: float = 0.5
    class_weight: Literal["balanced"] | None = "balanced"
    # the urgency policy's operating point (triage.training.policy), on validation data of the train split
    max_calm_critical: float = 0.03
    min_within_one: float = 0.975
    target_critical_recall: float = 0.95
    max_calm_flagged: float = 0.10
    policy_folds: int = 5  # 4/5 of the train split per fold: validation models close to the final one
    # Weight of a new writer's row (triage/data/writers) against a corpus row in both heads' loss; chosen
    # with `python -m triage compare-writers` (the policy's folds: the train split's 5 grouped folds, and
    # leave-one-writer-out over the 3 new writers, each with the policy it would get), never on the
    # independent set. Weight 1 / 3 / 6 / 10 -> new writers (LOWO): urgency accuracy 0.689 / 0.693 / 0.707 /
    # 0.705, critical recall 0.770 / 0.791 / 0.797 / 0.797 (each at 2.97 % low/normal marked critical),
    # category macro-F1 0.872 / 0.877 / 0.879 / 0.876; corpus folds: urgency accuracy 0.789 / 0.787 /
    # 0.781 / 0.778, critical recall 0.927 / 0.931 / 0.930 / 0.928, macro-F1 0.897 / 0.895 / 0.892 / 0.892.
    # 6 is best on the mean of the two kinds of folds (what the policy maximises) and on unseen writers.
    writer_weight: float = 6.0
    # Validation models fitted at once (processes); the results do not depend on it.
    fit_jobs: int = 2
    min_df: int = 2
    max_char_features: int = 80_000
    max_word_features: int = 30_000
    review_threshold: float = DEFAULT_REVIEW_THRESHOLD



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


def head_from_cumulative_svms(levels: Sequence[str], steps: Sequence[CalibratedClassifierCV]) -> Head:
    """An ordinal head: ``steps[k - 1]`` is a calibrated binary SVM of "level >= levels[k]" (k >= 1).

    Column 0 (the lowest level) has zero weights and is never read (``Head._cumulative``).
    """
    columns = [np.zeros(steps[0].calibrated_classifiers_[0].estimator.coef_.shape[1])]
    bias, sigmoid_a, sigmoid_b = [0.0], [0.0], [0.0]
    for step in steps:
        inner = step.calibrated_classifiers_[0]
        if list(step.classes_) != [0, 1] or len(inner.calibrators) != 1:
            raise ValueError("each step of an ordinal head must be a binary 0/1 classifier")
        columns.append(inner.estimator.coef_[0])
        bias.append(float(inner.estimator.intercept_[0]))
        sigmoid_a.append(float(inner.calibrators[0].a_))
        sigmoid_b.append(float(inner.calibrators[0].b_))
    return Head(
        labels=tuple(levels),
        weights=np.ascontiguousarray(np.stack(columns, axis=1), dtype=np.float32),
        bias=np.asarray(bias, dtype=np.float32),
        calibration="cumulative",
        sigmoid_a=np.asarray(sigmoid_a, dtype=np.float32),
        sigmoid_b=np.asarray(sigmoid_b, dtype=np.float32),
    )


def _fit_ordinal_head(
    features: Any,
    labels: Sequence[str],
    groups: Sequence[str],
    c_value: float,
    config: TrainingConfig,
    seed: int,
    sample_weight: Any = None,
) -> Head:
    levels = [level for level in URGENCIES if level in set(labels)]
    rank = np.asarray([levels.index(label) for label in labels], dtype=np.intp)
    steps = [
        _calibrated_svm(features, (rank >= k).astype(np.intp), groups, c_value, config, seed, sample_weight)
        for k in range(1, len(levels))
    ]
    return head_from_cumulative_svms(levels, steps)


def _calibrated_svm(
    features: Any,
    target: Any,
    groups: Sequence[str],
    c_value: float,
    config: TrainingConfig,
    seed: int,
    sample_weight: Any,
) -> CalibratedClassifierCV:
    # Calibrate on grouped folds: near-duplicate variants in both halves would make it overconfident.
    folds = list(StratifiedGroupKFold(n_splits=3, shuffle=True, random_state=seed).split(features, target, groups))
    calibrated = CalibratedClassifierCV(
        LinearSVC(C=c_value, class_weight=config.class_weight, random_state=seed),
        method="sigmoid",
        cv=folds,
        ensemble=False,
    )
    return calibrated.fit(features, target, sample_weight=sample_weight)


def _fit_head(
    features: Any,
    labels: Sequence[str],
    groups: Sequence[str],
    c_value: float,
    config: TrainingConfig,
    seed: int,
    sample_weight: Any = None,
) -> Head:
    if config.estimator == "logreg":
        classifier = LogisticRegression(C=c_value, max_iter=3000, class_weight=config.class_weight)
        return head_from_logistic_regression(classifier.fit(features, labels, sample_weight=sample_weight))
    return head_from_calibrated_svm(_calibrated_svm(features, labels, groups, c_value, config, seed, sample_weight))


def model_without_heads_for(normalized_texts: Sequence[str], config: TrainingConfig) -> TriageModel:
    """Vocabularies and idf fitted on these texts, heads empty. The heads are then trained on exactly
    the features prediction computes (triage.model), not on scikit-learn's matrices, so the two can
    never drift apart."""
    char_vectorizer, word_vectorizer = _vectorizers(config)
    char_vectorizer.fit(normalized_texts)
    word_vectorizer.fit(normalized_texts)
    return TriageModel(
        char_vocabulary={str(k): int(v) for k, v in char_vectorizer.vocabulary_.items()},
        char_idf=np.asarray(char_vectorizer.idf_, dtype=np.float32),
        word_vocabulary={str(k): int(v) for k, v in word_vectorizer.vocabulary_.items()},
        word_idf=np.asarray(word_vectorizer.idf_, dtype=np.float32),
        category=_empty_head(),
        urgency=_empty_head(),
        urgency_policy=UrgencyPolicy(),
    )


def fit_model(
    normalized_texts: Sequence[str],
    categories: Sequence[str],
    urgencies: Sequence[str],
    groups: Sequence[str],
    config: TrainingConfig,
    seed: int,
    progress: tqdm[Any] | None = None,
    sample_weight: Sequence[float] | None = None,
) -> TriageModel:
    """Fit features and both heads on already normalised texts (``sample_weight``: per row, default 1)."""
    model_without_heads = model_without_heads_for(normalized_texts, config)
    advance_progress(progress, "features")
    features = model_without_heads.features(normalized_texts)
    # All-ones weights are left out: the fit stays byte-identical to one without weights.
    weights = (
        None
        if sample_weight is None or all(w == 1.0 for w in sample_weight)
        else np.asarray(sample_weight, dtype=np.float64)
    )
    category = _fit_category_head(features, len(model_without_heads.char_vocabulary), categories, groups, config,
                                  seed, weights)  # fmt: skip
    advance_progress(progress, "category head")
    fit_urgency = _fit_ordinal_head if config.urgency_head == "ordinal" else _fit_head
    urgency = fit_urgency(features, urgencies, groups, config.urgency_c, config, seed, weights)
    advance_progress(progress, "urgency head")
    return TriageModel(
        char_vocabulary=model_without_heads.char_vocabulary,
        char_idf=model_without_heads.char_idf,
        word_vocabulary=model_without_heads.word_vocabulary,
        word_idf=model_without_heads.word_idf,
        category=category,
        urgency=urgency,
        urgency_policy=UrgencyPolicy(),
    )


def _fit_category_head(
    features: Any,
    n_char: int,
    categories: Sequence[str],
    groups: Sequence[str],
    config: TrainingConfig,
    seed: int,
    sample_weight: Any,
) -> Head:
    """The category head, fitted with the word block scaled by ``config.category_word_scale``."""
    scale = config.category_word_scale
    if scale == 1.0:
        return _fit_head(features, categories, groups, config.category_c, config, seed, sample_weight)
    column_scale = np.ones(features.shape[1], dtype=np.float32)
    column_scale[n_char:] = scale
    scaled = sp.csr_matrix(features @ sp.diags(column_scale))
    head = _fit_head(scaled, categories, groups, config.category_c, config, seed, sample_weight)
    # w . (s x) == (s w) . x: the factor moves into the weights, prediction reads unscaled features.
    weights = head.weights * column_scale[:, None]
    return dataclasses.replace(head, weights=np.ascontiguousarray(weights, dtype=np.float32))


def _empty_head() -> Head:
    empty = np.zeros(0, dtype=np.float32)
    return Head(labels=(), weights=np.zeros((0, 0), dtype=np.float32), bias=empty, calibration="softmax",
                sigmoid_a=empty, sigmoid_b=empty)  # fmt: skip


def advance_progress(progress: tqdm[Any] | None, step: str) -> None:
    if progress is not None:
        progress.set_postfix_str(step)
        progress.update(1)
