"""Fast comparison of urgency-head variants on the policy's folds and the held-out split (issue 14).

``python -m triage.training.experiment VARIANT...`` scores each variant the way the urgency policy is
chosen (``triage.training.policy``): out-of-fold probabilities on the train split's 5 grouped folds and
leave-one-writer-out folds over the new writers, the rules' floors applied, the policy chosen on them;
then the variant fitted on the whole train part and scored on the held-out split with that policy.
Never the independent set.

To make a comparison of many variants affordable on two shared cores, the TF-IDF vocabulary and idf are
fitted once on the whole train part (not per fold as ``fit_model`` does): every variant shares that
small optimism, so the differences between variants are what this measures, not the absolute figures.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from typing import Any

import numpy as np
from numpy.typing import NDArray
from sklearn.calibration import CalibratedClassifierCV
from sklearn.model_selection import StratifiedGroupKFold
from sklearn.svm import LinearSVC

from triage.normalize import model_text, normalize_text
from triage.training.data import (
    LabelledReport,
    held_out_split,
    read_reports,
    read_writer_reports,
    text_key,
    writer_of,
)
from triage.training.fit import TrainingConfig, model_without_heads_for
from triage.training.policy import (
    NEW_WRITERS,
    ORDER,
    PolicyTargets,
    apply,
    choose_policy,
    figures,
    rule_floors,
    validation_folds,
)

Matrix = Any
Fitter = Callable[[Matrix, NDArray[np.intp], NDArray[np.float64], NDArray[np.str_], int], Callable[[Matrix], NDArray[np.float64]]]


def _calibrated_svm(
    x: Matrix, y: NDArray[np.intp], w: NDArray[np.float64], groups: NDArray[np.str_], seed: int,
    c_value: float = 0.5, class_weight: Any = "balanced",
) -> CalibratedClassifierCV:
    folds = list(StratifiedGroupKFold(n_splits=3, shuffle=True, random_state=seed).split(x, y, groups))
    model = CalibratedClassifierCV(
        LinearSVC(C=c_value, class_weight=class_weight, random_state=seed), method="sigmoid", cv=folds, ensemble=False
    )
    return model.fit(x, y, sample_weight=w)


def flat(c_value: float = 0.5, critical_boost: float = 1.0) -> Fitter:
    """The committed head: one calibrated one-vs-rest SVM over the four levels."""

    def fit(x: Matrix, y: NDArray[np.intp], w: NDArray[np.float64], groups: NDArray[np.str_], seed: int) -> Callable[[Matrix], NDArray[np.float64]]:
        counts = np.bincount(y, minlength=4).astype(float)
        weights = {k: len(y) / (4 * counts[k]) * (critical_boost if k == 3 else 1.0) for k in range(4)}
        model = _calibrated_svm(x, y, w, groups, seed, c_value, weights)

        def predict(z: Matrix) -> NDArray[np.float64]:
            p = model.predict_proba(z)
            out = np.zeros((z.shape[0], 4))
            out[:, model.classes_] = p
            return out

        return predict

    return fit


def ordinal(c_value: float = 0.5) -> Fitter:
    """Cumulative binary heads P(>= normal), P(>= high), P(critical), made monotone."""

    def fit(x: Matrix, y: NDArray[np.intp], w: NDArray[np.float64], groups: NDArray[np.str_], seed: int) -> Callable[[Matrix], NDArray[np.float64]]:
        models = [_calibrated_svm(x, (y >= k).astype(np.intp), w, groups, seed, c_value) for k in (1, 2, 3)]

        def predict(z: Matrix) -> NDArray[np.float64]:
            cumulative = np.stack([m.predict_proba(z)[:, 1] for m in models], axis=1)
            cumulative = np.minimum.accumulate(cumulative, axis=1)
            c1, c2, c3 = cumulative.T
            return np.stack([1 - c1, c1 - c2, c2 - c3, c3], axis=1)

        return predict

    return fit


def flat_plus_critical(c_value: float = 0.5, critical_c: float = 0.5) -> Fitter:
    """The flat head, its P(critical) replaced by a separate calibrated critical-vs-not head."""

    def fit(x: Matrix, y: NDArray[np.intp], w: NDArray[np.float64], groups: NDArray[np.str_], seed: int) -> Callable[[Matrix], NDArray[np.float64]]:
        base = flat(c_value)(x, y, w, groups, seed)
        binary = _calibrated_svm(x, (y == 3).astype(np.intp), w, groups, seed, critical_c)

        def predict(z: Matrix) -> NDArray[np.float64]:
            p = base(z)
            critical = binary.predict_proba(z)[:, 1]
            rest = p[:, :3] / np.maximum(p[:, :3].sum(axis=1, keepdims=True), 1e-12)
            return np.concatenate([rest * (1 - critical)[:, None], critical[:, None]], axis=1)

        return predict

    return fit


def mixture(c_flat: float = 0.5, c_ordinal: float = 0.25) -> Fitter:
    """The mean of the flat and the ordinal heads' level probabilities."""

    def fit(x: Matrix, y: NDArray[np.intp], w: NDArray[np.float64], groups: NDArray[np.str_], seed: int) -> Callable[[Matrix], NDArray[np.float64]]:
        first = flat(c_flat)(x, y, w, groups, seed)
        second = ordinal(c_ordinal)(x, y, w, groups, seed)

        def predict(z: Matrix) -> NDArray[np.float64]:
            result: NDArray[np.float64] = (first(z) + second(z)) / 2.0
            return result

        return predict

    return fit


VARIANTS: dict[str, tuple[Fitter, float]] = {
    "mixture": (mixture(), 1.0),
    # name -> (fitter, extra weight of English rows)
    "flat": (flat(), 1.0),
    "flat_c025": (flat(0.25), 1.0),
    "flat_c1": (flat(1.0), 1.0),
    "flat_crit2": (flat(critical_boost=2.0), 1.0),
    "flat_en2": (flat(), 2.0),
    "flat_en3": (flat(), 3.0),
    "ordinal": (ordinal(), 1.0),
    "ordinal_c025": (ordinal(0.25), 1.0),
    "ordinal_c1": (ordinal(1.0), 1.0),
    "ordinal_en2": (ordinal(), 2.0),
    "flat_critbin": (flat_plus_critical(), 1.0),
}


def _job(args: tuple[str, Matrix, NDArray[np.intp], NDArray[np.float64], NDArray[np.str_], NDArray[np.intp], Matrix, int]) -> NDArray[np.float64]:
    name, x, y, w, groups, fit_index, z, seed = args
    fitter, _ = VARIANTS[name]
    return fitter(x[fit_index], y[fit_index], w[fit_index], groups[fit_index], seed)(z)


def experiment_data(
    seed: int,
) -> tuple[list[LabelledReport], list[LabelledReport], list[str], list[str], list[str]]:
    """What the experiments fit and score on: the corpus' train part plus the new writers' rows (their
    texts that repeat a corpus text left out), the held-out split, both as model texts, and the
    training rows' groups. Never the independent set."""
    reports = read_reports()
    corpus_keys = {text_key(r.text) for r in reports}
    writers = [r for r in read_writer_reports() if text_key(r.text) not in corpus_keys]
    train_index, test_index = held_out_split(reports, seed)
    training: list[LabelledReport] = [reports[i] for i in train_index] + writers
    held_out = [reports[i] for i in test_index]
    texts = [model_text(normalize_text(r.text)) for r in training]
    held_texts = [model_text(normalize_text(r.text)) for r in held_out]
    return training, held_out, texts, held_texts, [r.group or r.id for r in training]


def main(names: Sequence[str], seed: int = 42) -> None:
    config = TrainingConfig()
    training, held_out, texts, held_texts, groups_list = experiment_data(seed)
    # vocabulary and idf on the whole train part (see the module docstring)
    shell = model_without_heads_for(texts, config)
    x = shell.features(texts)
    z_held = shell.features(held_texts)
    y = np.asarray([ORDER.index(r.urgency) for r in training], dtype=np.intp)
    y_held = np.asarray([ORDER.index(r.urgency) for r in held_out], dtype=np.intp)
    groups = np.asarray(groups_list)
    folds = validation_folds(training, groups_list, config.policy_folds, seed)
    floors = rule_floors(training)
    held_floors = rule_floors(held_out)
    segment = np.full(len(training), "", dtype=object)
    for name_, _, check in folds:
        segment[check] = name_
    segments = {"corpus": segment == "corpus", NEW_WRITERS: segment == NEW_WRITERS}
    english = np.asarray([r.lang == "en" for r in training])
    held_english = np.asarray([r.lang == "en" for r in held_out])
    targets = PolicyTargets()
    for name in names:
        started = time.perf_counter()
        _, en_weight = VARIANTS[name]
        w = np.asarray([(config.writer_weight if writer_of(r) else 1.0) * (en_weight if r.lang == "en" else 1.0)
                        for r in training])  # fmt: skip
        jobs = [(name, x, y, w, groups, fit, x[check], seed) for _, fit, check in folds]
        jobs.append((name, x, y, w, groups, np.arange(len(training)), z_held, seed))
        with ProcessPoolExecutor(max_workers=2, mp_context=get_context("fork")) as pool:
            outputs = list(pool.map(_job, jobs))
        oof = np.zeros((len(training), 4))
        for (_, _, check), out in zip(folds, outputs[:-1], strict=True):
            oof[check] = out
        policy, report = choose_policy(oof, floors, y, targets, segments)
        held_ranks = apply(policy, outputs[-1], held_floors)
        held = figures(held_ranks, y_held)
        lowo_en = segments[NEW_WRITERS] & english
        lowo_ranks = apply(policy, oof, floors)
        print(f"== {name} ({time.perf_counter() - started:.0f} s) policy {policy}")
        for seg, values in report["segments"].items():
            print(f"  {seg:12s} " + " ".join(f"{k} {v:.4f}" for k, v in values.items()))
        print(f"  lowo_en      accuracy {np.mean(lowo_ranks[lowo_en] == y[lowo_en]):.4f} rows {lowo_en.sum()}")
        print("  held_out     " + " ".join(f"{k} {v:.4f}" for k, v in held.items())
              + f" en_accuracy {np.mean(held_ranks[held_english] == y_held[held_english]):.4f}")  # fmt: skip
        sys.stdout.flush()


if __name__ == "__main__":
    main(sys.argv[1:] or ["flat"])
