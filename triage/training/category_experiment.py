"""Fast comparison of category-head variants on the policy's folds and the held-out split (issue 14).

``python -m triage.training.category_experiment [--calibrated] VARIANT...`` scores each variant's
category macro-F1 on the folds the urgency policy is chosen on (``triage.training.policy``: the train
split's 5 grouped folds, and leave-one-writer-out over the new writers), then fitted on the whole train
part and scored on the held-out split, with the held-out confusions that cost the most. Never the
independent set.

As in ``triage.training.experiment``, the TF-IDF vocabulary and idf are fitted once per feature setting
on the whole train part (not per fold as ``fit_model`` does), so compare variants with each other, not
with a model card's figures. Without ``--calibrated`` the category is the argmax of the LinearSVC's
decision values (4x faster); with it, the sigmoid-calibrated head that ``fit_model`` builds.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from multiprocessing import get_context
from typing import Any

import numpy as np
from numpy.typing import NDArray
from sklearn.calibration import CalibratedClassifierCV
from sklearn.linear_model import LogisticRegression, RidgeClassifier
from sklearn.metrics import f1_score
from sklearn.model_selection import StratifiedGroupKFold
from sklearn.svm import LinearSVC

from triage.training.data import (
    writer_of,
)
from triage.training.experiment import experiment_data
from triage.training.fit import TrainingConfig, model_without_heads_for
from triage.training.policy import NEW_WRITERS, validation_folds

Matrix = Any


@dataclass(frozen=True, slots=True)
class Variant:
    c_value: float = 0.5
    class_weight: str | None = "balanced"
    writer_weight: float = 6.0
    min_df: int = 2
    max_word_features: int = 30_000
    max_char_features: int = 80_000
    estimator: str = "svc"  # "svc", "logreg", "both" (mean of the two heads' probabilities) or "ridge"
    multi_class: str = "ovr"  # LinearSVC's: "ovr" or "crammer_singer"
    loss: str = "squared_hinge"
    word_scale: float = 1.0  # the word block's features multiplied by this (1: the committed features)

    def features_key(self) -> tuple[int, int, int]:
        return (self.min_df, self.max_char_features, self.max_word_features)


VARIANTS: dict[str, Variant] = {
    "base": Variant(),
    "c025": Variant(c_value=0.25),
    "c1": Variant(c_value=1.0),
    "c2": Variant(c_value=2.0),
    "unweighted": Variant(class_weight=None),
    "ww3": Variant(writer_weight=3.0),
    "ww10": Variant(writer_weight=10.0),
    "words60k": Variant(max_word_features=60_000),
    "words100k": Variant(max_word_features=100_000),
    "mindf1": Variant(min_df=1, max_word_features=100_000),
    "words_x1.5": Variant(word_scale=1.5),
    "words_x0.7": Variant(word_scale=0.7),
    "words_x2": Variant(word_scale=2.0),
    "words_x3": Variant(word_scale=3.0),
    "words_x2_c025": Variant(word_scale=2.0, c_value=0.25),
    "logreg": Variant(estimator="logreg", c_value=20.0),
    "svc_logreg": Variant(estimator="both"),
    "crammer_singer": Variant(multi_class="crammer_singer"),
    "hinge": Variant(loss="hinge"),
    "ridge": Variant(estimator="ridge", c_value=1.0),
}


def _fit_predict(args: tuple[Variant, Matrix, NDArray[np.str_], NDArray[np.float64], NDArray[np.str_], NDArray[np.intp], Matrix, bool, int]) -> NDArray[np.str_]:
    variant, x, y, w, groups, fit_index, z, calibrated, seed = args
    xf, yf, wf = x[fit_index], y[fit_index], w[fit_index]
    scores: list[NDArray[np.float64]] = []
    classes: NDArray[np.str_] = np.unique(yf)
    if variant.estimator in ("svc", "both", "ridge"):
        svm: Any = (
            RidgeClassifier(alpha=variant.c_value, class_weight=variant.class_weight)
            if variant.estimator == "ridge"
            else LinearSVC(C=variant.c_value, class_weight=variant.class_weight, random_state=seed,
                           multi_class=variant.multi_class, loss=variant.loss, max_iter=3000)  # fmt: skip
        )
        if calibrated or variant.estimator == "both":
            folds = list(StratifiedGroupKFold(n_splits=3, shuffle=True, random_state=seed).split(xf, yf, groups[fit_index]))
            model = CalibratedClassifierCV(svm, method="sigmoid", cv=folds, ensemble=False).fit(xf, yf, sample_weight=wf)
            scores.append(model.predict_proba(z))
        else:
            scores.append(svm.fit(xf, yf, sample_weight=wf).decision_function(z))
    if variant.estimator in ("logreg", "both"):
        logreg = LogisticRegression(C=variant.c_value if variant.estimator == "logreg" else 20.0, max_iter=3000, class_weight=variant.class_weight)
        scores.append(logreg.fit(xf, yf, sample_weight=wf).predict_proba(z))
    result: NDArray[np.str_] = classes[np.argmax(np.mean(scores, axis=0), axis=1)]
    return result


def _confusions(truth: Sequence[str], predicted: Sequence[str], top: int = 8) -> str:
    pairs: dict[tuple[str, str], int] = {}
    for t, p in zip(truth, predicted, strict=True):
        if t != p:
            pairs[(t, p)] = pairs.get((t, p), 0) + 1
    ranked = sorted(pairs.items(), key=lambda item: -item[1])[:top]
    return ", ".join(f"{t}->{p} {n}" for (t, p), n in ranked)


def main(argv: Sequence[str], seed: int = 42) -> None:
    calibrated = "--calibrated" in argv
    held_out_only = "--held-out-only" in argv  # skip the folds (e.g. a calibrated check of a few variants)
    names = [name for name in argv if not name.startswith("--")] or ["base"]
    training, held_out, texts, held_texts, groups_list = experiment_data(seed)
    groups = np.asarray(groups_list)
    y = np.asarray([r.category for r in training])
    y_held = np.asarray([r.category for r in held_out])
    folds = validation_folds(training, groups_list, TrainingConfig().policy_folds, seed)
    who = np.asarray([writer_of(r) for r in training])
    features: dict[tuple[int, int, int], tuple[Matrix, Matrix, int]] = {}
    for name in names:
        variant = VARIANTS[name]
        started = time.perf_counter()
        key = variant.features_key()
        if key not in features:
            config = TrainingConfig(min_df=key[0], max_char_features=key[1], max_word_features=key[2])
            shell = model_without_heads_for(texts, config)
            features[key] = (shell.features(texts), shell.features(held_texts), len(shell.char_vocabulary))
        x, z_held, n_char = features[key]
        if variant.word_scale != 1.0:
            scale = np.ones(x.shape[1])
            scale[n_char:] = variant.word_scale
            x = x.multiply(scale[None, :]).tocsr()
            z_held = z_held.multiply(scale[None, :]).tocsr()
        w = np.asarray([variant.writer_weight if writer_of(r) else 1.0 for r in training])
        jobs = [] if held_out_only else [
            (variant, x, y, w, groups, fit, x[check], calibrated, seed) for _, fit, check in folds
        ]
        jobs.append((variant, x, y, w, groups, np.arange(len(training)), z_held, calibrated, seed))
        with ProcessPoolExecutor(max_workers=2, mp_context=get_context("fork")) as pool:
            outputs = list(pool.map(_fit_predict, jobs))
        oof = np.empty(len(training), dtype=object)
        segment = np.empty(len(training), dtype=object)
        for (segment_name, _, check), out in zip([] if held_out_only else folds, outputs[:-1], strict=True):
            oof[check] = out
            segment[check] = segment_name
        held = outputs[-1]
        english = np.asarray([r.lang == "en" for r in held_out])
        print(f"== {name} {variant} ({time.perf_counter() - started:.0f} s, calibrated {calibrated})")
        print(f"  held-out macro-F1 {f1_score(y_held, held, average='macro'):.4f}"
              f" accuracy {np.mean(held == y_held):.4f} en {np.mean(held[english] == y_held[english]):.4f}")  # fmt: skip
        print(f"  held-out confusions: {_confusions(list(y_held), list(held))}")
        if held_out_only:
            sys.stdout.flush()
            continue
        corpus = segment == "corpus"
        new = segment == NEW_WRITERS
        per_writer = " ".join(
            f"{writer[-1]} {f1_score(y[who == writer], oof[who == writer], average='macro'):.4f}"
            for writer in sorted(set(who) - {""})
        )
        print(f"  corpus folds macro-F1 {f1_score(y[corpus], oof[corpus], average='macro'):.4f}"
              f"  new writers (LOWO) macro-F1 {f1_score(y[new], oof[new], average='macro'):.4f} ({per_writer})")  # fmt: skip
        print(f"  LOWO confusions: {_confusions(list(y[new]), list(oof[new]))}")
        sys.stdout.flush()


if __name__ == "__main__":
    main(sys.argv[1:])
