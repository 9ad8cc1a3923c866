"""Training, held-out evaluation and promotion of triage models.

``train(rows, seed)`` splits the labelled reports into train and held-out parts by their ``group``
column (variants of one underlying report stay on one side, so the held-out score is not inflated by
near-duplicates), fits the features and both heads on the train part, evaluates on the held-out part
and writes a new version directory (``triage.artifacts``). Same rows + same seed = same split, same
model, same metrics.

The new writers' reports (``writer_rows``, triage/data/writers) and operator corrections
(``extra_examples``) are added to the training part only; the held-out part is always the corpus's, so ``promote_if_not_worse`` compares a retrained model with the active one on
exactly the same reports before making it active.
"""


from __future__ import annotations

import dataclasses
import hashlib
import time
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from tqdm import tqdm

from triage import artifacts
from triage.lexicon import LEXICON_SHA256
from triage.model import TriageModel
from triage.normalize import NORMALIZER_VERSION, model_text, normalize_text
from triage.training.data import (
    HELD_OUT_FOLDS,
    TRAINED_ON_FILE,
    LabelledReport,
    as_report,
    check_label,
    data_hash,
    held_out_split,
    text_key,
    write_trained_on,
    writer_of,
)
from triage.training.fit import TrainingConfig, advance_progress, fit_model
from triage.training.metrics import evaluate
from triage.training.policy import policy_from_validation, sample_weights


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
    writer_rows: Iterable[LabelledReport | Mapping[str, Any]] = (),
) -> TrainingOutcome:
    """Split, fit, evaluate on the held-out split and write a new model version (not yet active)."""
    config = config or TrainingConfig()
    reports = [as_report(row) for row in rows]
    writers = [as_report(row) for row in writer_rows]
    extra = [as_report(row) for row in extra_examples]
    for index, report in enumerate(reports + writers + extra):
        check_label(report, f"row {index}")
    if any(not writer_of(report) for report in writers):
        raise ValueError("every new writer's row needs its writer as source (writer_<x>)")
    # A new writer's text that is already a corpus row ("mất điện") is left to the corpus: a copy in
    # training would leak into the held-out split whenever the corpus copy is held out.
    corpus_keys = {text_key(report.text) for report in reports}
    copies = sum(text_key(report.text) in corpus_keys for report in writers)
    writers = [report for report in writers if text_key(report.text) not in corpus_keys]
    bar: tqdm[Any] | None = tqdm(total=6, desc="train triage", unit="step", disable=not progress)
    started = time.perf_counter()
    train_index, test_index = held_out_split(reports, seed)
    training = [reports[i] for i in train_index] + writers + extra
    held_out = tuple(reports[i] for i in test_index)
    normalized = [
        model_text(normalize_text(report.text))
        for report in tqdm(training, desc="normalise", unit="report", disable=not progress, leave=False)
    ]
    advance_progress(bar, "split + normalise")
    groups = [report.group or report.id or f"extra-{i}" for i, report in enumerate(training)]
    model = fit_model(
        normalized,
        [report.category for report in training],
        [report.urgency for report in training],
        groups,
        config,
        seed,
        bar,
        sample_weight=sample_weights(training, config),
    )
    # The urgency policy is chosen on validation data of the train split (out-of-fold predictions).
    policy, policy_report = policy_from_validation(training, normalized, groups, config, seed)
    model = dataclasses.replace(model, urgency_policy=policy)
    root = root or artifacts.models_root()
    version = version or artifacts.next_version(root)
    metrics = evaluate(model, held_out, model_version=version, review_threshold=config.review_threshold)
    advance_progress(bar, "evaluate")
    hash_of_data = data_hash(reports)
    training_info = {
        "seed": seed,
        "config": asdict(config),
        "data_source": data_source,
        "data_rows": len(reports),
        "train_rows": len(train_index),
        "held_out_rows": len(test_index),
        "writer_rows": dict(sorted(Counter(writer_of(row) for row in writers).items())),
        "writer_rows_hash": data_hash(writers) if writers else None,
        "writer_rows_already_in_corpus": copies,
        "extra_examples": len(extra),
        "extra_examples_hash": data_hash(extra) if extra else None,
        "urgency_policy": {**dataclasses.asdict(policy), "validation": policy_report},
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
    from triage.training.report import write_confusion_png, write_model_card

    write_confusion_png(path / artifacts.CONFUSION_FILE, metrics["held_out"])
    write_model_card(path, metrics)
    advance_progress(bar, "write")
    if bar is not None:
        bar.close()
    return TrainingOutcome(
        version=version, path=path, model=model, metrics=metrics, held_out=held_out, seed=seed, config=config
    )
