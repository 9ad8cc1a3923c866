"""Human-readable outputs of a model version: the confusion-matrix PNG and MODEL_CARD.md."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any, Final

from triage import artifacts


def write_confusion_png(path: Path, held_out: Mapping[str, Any]) -> None:
    """Category and urgency confusion matrices (rows: true label) side by side."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np

    figure, axes = plt.subplots(1, 2, figsize=(15, 6.5), gridspec_kw={"width_ratios": [3, 1.3]})
    for axis, key, title in (
        (axes[0], "category", "category"),
        (axes[1], "urgency", "urgency (after rules)"),
    ):
        block = held_out[key]["confusion_matrix"]
        labels = block["labels"]
        matrix = np.asarray(block["matrix"], dtype=float)
        totals = matrix.sum(axis=1, keepdims=True)
        shares = np.divide(matrix, totals, out=np.zeros_like(matrix), where=totals > 0)
        axis.imshow(shares, cmap="Blues", vmin=0.0, vmax=1.0)
        axis.set_xticks(range(len(labels)), labels, rotation=60, ha="right", fontsize=8)
        axis.set_yticks(range(len(labels)), labels, fontsize=8)
        axis.set_xlabel("predicted")
        axis.set_ylabel("true")
        axis.set_title(f"{title}: held-out, n={int(matrix.sum())}")
        for row in range(len(labels)):
            for column in range(len(labels)):
                if matrix[row, column]:
                    axis.text(
                        column, row, int(matrix[row, column]), ha="center", va="center", fontsize=7,
                        color="white" if shares[row, column] > 0.5 else "black",
                    )  # fmt: skip
    figure.tight_layout()
    figure.savefig(path, dpi=90)
    plt.close(figure)


def _f(value: Any) -> str:
    return "-" if value is None else (f"{value:.3f}" if isinstance(value, float) else str(value))


NOTES_FILE: Final = "NOTES.md"


def _same_text_line(held: Mapping[str, Any]) -> list[str]:
    same = held.get("same_text_without_marks")
    if not same:
        return []
    return [
        f"| category accuracy, the same Vietnamese texts with vs without their marks | "
        f"{_f(same['category_accuracy_with_marks'])} vs {_f(same['category_accuracy_without_marks'])} (gap "
        f"{_f(same['accuracy_gap'])}, n={same['rows']}) | gap within 0.01 |"
    ]


def _policy_lines(training: Mapping[str, Any]) -> list[str]:
    policy = training.get("urgency_policy")
    if not policy:
        return []
    check = policy["validation"]
    return [
        f"- Urgency policy (`triage/model.py` UrgencyPolicy): critical when P(critical) >= {policy['critical']}, "
        f"else high when P(high or worse) >= {policy['high']}, else normal when P(normal or worse) >= "
        f"{policy['normal']}, else low; P(critical) in [{policy['unsure']}, {policy['critical']}) goes to review "
        "as `urgency_unsure`. Chosen on out-of-fold predictions of the train split "
        f"({check['folds']} grouped folds"
        + (f" + {len(check['leave_one_writer_out'])} leave-one-writer-out folds" if check.get("leave_one_writer_out") else "")
        + f", {check['rows']} reports, rules applied; `triage/training/policy.py`): "
        f"critical recall {check['critical_recall']}, low/normal marked critical {check['calm_marked_critical']}, "
        f"urgency accuracy {check['accuracy']}, within one level {check['within_one']}; critical or unsure "
        f"{check['critical_or_unsure_recall']} of critical reports.",
        *_segment_lines(check),
    ]


def _segment_lines(check: Mapping[str, Any]) -> list[str]:
    segments = check.get("segments")
    if not segments:
        return []
    lines = [
        "  Each kind of fold had to meet the operating point on its own (leave-one-writer-out over "
        f"{', '.join(check.get('leave_one_writer_out', []))}: each new writer scored by a model that never saw "
        "that writer):"
    ]
    for name, figures in segments.items():
        lines.append(
            f"  - {name} ({figures['rows']} reports): critical recall {figures['critical_recall']}, low/normal "
            f"marked critical {figures['calm_marked_critical']}, urgency accuracy {figures['accuracy']}, within "
            f"one level {figures['within_one']}"
        )
    return lines


def _writer_lines(training: Mapping[str, Any]) -> list[str]:
    writers = training.get("writer_rows")
    if not writers:
        return []
    listed = ", ".join(f"{name} {count}" for name, count in writers.items())
    return [
        f"- `triage/data/writers/`: {sum(writers.values())} reports by new writers ({listed}; data card "
        f"\"New writers\"), all in training, never in the held-out split; hash "
        f"`{str(training.get('writer_rows_hash'))[:16]}...`; weight {training['config'].get('writer_weight', 1.0)} "
        "per row against 1 for a corpus row.",
    ]


def _lexicon(metrics: Mapping[str, Any]) -> str:
    content_hash = metrics.get("lexicon_sha256")
    if content_hash:
        return f"content sha256 {str(content_hash)[:12]}"
    return f"version {metrics.get('lexicon_version', '?')}"  # versions trained before the hash


def write_model_card(version_dir: Path, metrics: Mapping[str, Any]) -> None:
    """MODEL_CARD.md from metrics.json (re-written when external results are added)."""
    held = metrics["held_out"]
    training = metrics["training"]
    config = training["config"]
    category = held["category"]
    urgency = held["urgency"]
    critical = held["critical"]
    accents = held["by_accents"]
    lines = [
        f"# Triage model {metrics['model_version']}",
        "",
        "Predicts the **category** (15 codes) and **urgency** (low/normal/high/critical) of a citizen report "
        "of Huế from its text (Vietnamese with or without diacritics, English). Urgency is the model's "
        "opinion raised by deterministic safety rules (`triage/safety_rules.py`), never lowered.",
        "",
        "## Model",
        f"- Text normalised by `triage/normalize.py` (version {metrics['normalizer_version']}): NFC, casefold, "
        "place names masked, teencode and Huế dialect expanded, diacritics removed.",
        f"- Features: TF-IDF of character 2-5-grams ({metrics['model']['features']['char_ngrams']}) and word "
        f"1-2-grams plus bilingual concept tokens from `triage/lexicon/` ({_lexicon(metrics)}: broad "
        "concepts, then the detailed ones) "
        f"({metrics['model']['features']['word_ngrams']}), sublinear tf, "
        f"min_df={config['min_df']}.",
        f"- Heads: `{config['estimator']}` (C={config['category_c']} / {config['urgency_c']}, class_weight="
        f"{config['class_weight']}"
        + (f", category word block x{config['category_word_scale']} in the fit"
           if config.get("category_word_scale", 1.0) != 1.0 else "")  # fmt: skip
        + "); urgency head "
        + (
            "ordinal (one calibrated binary SVM per step: P(normal or worse), P(high or worse), P(critical))"
            if config.get("urgency_head") == "ordinal"
            else "flat (one-vs-rest over the four levels)"
        )
        + "; urgency by the policy below, chosen on validation data. "
        "Chosen by grouped 3-fold cross-validation on the train split only (`python -m triage compare`): "
        "a sigmoid-calibrated LinearSVC beat logistic regression on macro-F1, critical recall and log loss.",
        *_policy_lines(training),
        f"- Confidence = probability of the chosen category; reports below {config['review_threshold']} and all "
        "critical reports go to human review (critical also alerts operators).",
        f"- File: `model.npz`, {metrics['model'].get('file_bytes', 0) / 1e6:.1f} MB, arrays only (no pickle).",
        "",
        "## Data",
        f"- `{training.get('data_source') or 'triage/data/reports.csv'}`: {training['data_rows']} labelled reports, "
        "synthetic (written for this project; see triage/data's data card). "
        f"data hash `{metrics['data_hash'][:16]}...`.",
        f"- Held-out split: {training['split']}; seed {training['seed']}: {training['train_rows']} train / "
        f"{training['held_out_rows']} held-out rows; {training['extra_examples']} operator-corrected examples "
        "added to training.",
        *_writer_lines(training),
        "",
        "## Held-out results (synthetic data written by the team: optimistic)",
        "| figure | value | target |",
        "|---|---|---|",
        f"| category macro-F1 | {_f(category['macro_f1'])} | >= 0.90 |",
        f"| category accuracy | {_f(category['accuracy'])} | |",
        f"| critical recall (model + rules) | {_f(critical['recall'])} | >= 0.95 |",
        f"| critical recall (model only) | {_f(critical['recall_model_only'])} | |",
        f"| critical precision (model + rules) | {_f(critical['precision'])} | |",
        f"| urgency accuracy (model + rules) | {_f(urgency['accuracy'])} | >= 0.80 |",
        f"| urgency within one level | {_f(held.get('operating_point', {}).get('urgency_within_one'))} | >= 0.98 |",
        f"| low or normal reports marked critical | {_f(held.get('operating_point', {}).get('low_normal_marked_critical'))} | <= 0.03 |",
        f"| sent to review as urgency_unsure | {_f(held.get('urgency_unsure_rate'))} | |",
        f"| urgency macro-F1 (model + rules) | {_f(urgency['macro_f1'])} | |",
        f"| category accuracy, Vietnamese with diacritics | {_f(accents['accented']['category_accuracy'])} "
        f"(n={accents['accented']['rows']}) | |",
        f"| category accuracy, Vietnamese without diacritics | {_f(accents['unaccented']['category_accuracy'])} "
        f"(n={accents['unaccented']['rows']}) | gap <= 0.03 |",
        *_same_text_line(held),
        f"| category ECE (10 bins) | {_f(held['category_ece'])} | |",
        f"| needs review at threshold {held['review']['threshold']} | {_f(held['review']['needs_review_rate'])} | |",
        f"| category accuracy of auto-routed reports | {_f(held['review']['auto_routed_category_accuracy'])} | |",
        "",
        "Per language: "
        + ", ".join(
            f"{lang}: category {_f(figures['category_accuracy'])} (n={figures['rows']})"
            for lang, figures in held["by_language"].items()
        ),
        "",
        "Per category (held-out):",
        "",
        "| category | precision | recall | F1 | n |",
        "|---|---|---|---|---|",
    ]
    for label, figures in category["per_class"].items():
        lines.append(
            f"| {label} | {figures['precision']:.3f} | {figures['recall']:.3f} | {figures['f1']:.3f} | "
            f"{figures['support']} |"
        )
    lines += ["", f"Confusion matrices: `{artifacts.CONFUSION_FILE}`.", ""]
    external = metrics.get("external")
    lines += ["## External evaluation (real text nobody here wrote; never trained on)", ""]
    if not external:
        lines.append("Not run for this version.")
    else:
        scf = external.get("seeclickfix")
        if scf:
            lines += [
                f"- SeeClickFix Newport, RI (English, US city): {scf['mapped_rows']} rows with a mapped "
                f"request type and a description; accuracy **{_f(scf['accuracy'])}**, macro-F1 "
                f"**{_f(scf['macro_f1'])}** over {len(scf['per_class'])} categories. "
                f"Excluded: {scf['excluded_unmapped']} rows of unmapped types, {scf['excluded_empty']} without "
                "a description. Mapping: `triage/external_eval.py` SEECLICKFIX_MAPPING.",
            ]
        trec = external.get("trecis")
        if trec:
            lines += [
                f"- TREC-IS 2018 tweets (English, disasters): positive = priority High or Critical "
                f"({trec['positives']} of {trec['rows']}); ours = urgency high or critical. Precision "
                f"**{_f(trec['precision'])}**, recall **{_f(trec['recall'])}**, F1 **{_f(trec['f1'])}**.",
            ]
        lines += [
            "",
            "These tell how the model does on text unlike its training data (foreign cities, tweets); they "
            "are much lower than the held-out figures and are the more honest estimate for unseen styles.",
        ]
    lines += ["", "## Independent test set (written from the brief only; never trained on or read)", ""]
    independent = metrics.get("independent")
    if not independent:
        lines.append("Not scored for this version (`python -m triage independent --version VERSION`).")
    else:
        accents = independent["diacritics"]
        lines += [
            f"{independent['rows']} reports by three writers who saw only the taxonomy and the urgency "
            "definitions (`triage/data/independent/DATA_CARD.md`), scored once for this version at "
            f"{independent['scored_at']} by `python -m triage independent` (aggregate figures only).",
            "",
            "| figure | value | target |",
            "|---|---|---|",
            f"| category accuracy / macro-F1 | {_f(independent['category_accuracy'])} / "
            f"{_f(independent['category_macro_f1'])} | macro-F1 >= 0.92 |",
            f"| critical recall | {_f(independent['critical_recall'])} (n={independent['critical_support']}) | >= 0.95 |",
            f"| low or normal reports marked critical | {_f(independent['low_normal_marked_critical'])} | <= 0.03 |",
            f"| critical precision | {_f(independent['critical_precision'])} | |",
            f"| urgency accuracy | {_f(independent['urgency_accuracy'])} | >= 0.80 |",
            f"| urgency within one level | {_f(independent['urgency_within_one'])} | >= 0.98 |",
            f"| urgency too high / too low | {_f(independent['urgency_too_high'])} / "
            f"{_f(independent['urgency_too_low'])} | |",
            f"| category accuracy with marks vs the same text without | {_f(accents['accented_category_accuracy'])}"
            f" vs {_f(accents['unaccented_category_accuracy'])} (gap {_f(accents['accuracy_gap'])}, "
            f"n={accents['rows']}) | gap within 0.01 |",
            f"| needs review | {_f(independent['needs_review_rate'])} | |",
            "",
            "By language: "
            + ", ".join(
                f"{name} (n={block['rows']}): category {_f(block['category_accuracy'])}, urgency "
                f"{_f(block['urgency_accuracy'])}"
                for name, block in independent["by_language"].items()
            ),
            "",
            "Urgency confusion (rows: true low, normal, high, critical): "
            + "; ".join(" ".join(str(n) for n in row) for row in independent["urgency_confusion"]["matrix"]),
        ]
    latency = metrics.get("latency")
    if latency:
        single = latency["classify_ms"]
        rates = latency["batch_reports_per_second"]
        lines += [
            "",
            f"## Speed (`{latency['command']}`, {latency['cores']} cores, load average {latency['load_average']})",
            f"- `classify()` one report: p50 {single['wall_p50']} ms, p99 {single['wall_p99']} ms wall; "
            f"p50 {single['cpu_p50']} ms, p99 {single['cpu_p99']} ms CPU (goal p99 <= 5 ms). Bare model "
            f"features+predict p50 {latency['bare_model_ms']['wall_p50']} ms; scikit-learn's own "
            f"transform+predict p50 {latency['scikit_learn_ms']['wall_p50']} ms.",
            f"- `classify_batch()`: {rates['classify_batch_wall']:,} reports/s wall, {rates['classify_batch_cpu']:,} "
            f"per CPU-second (goal >= 5,000/s); bare model {rates['bare_model_wall']:,}/s, scikit-learn "
            f"{rates['scikit_learn_wall']:,}/s.",
        ]
    notes = version_dir / NOTES_FILE
    if notes.is_file():  # hand-written remarks on this version (kept when the card is re-written)
        lines += ["", notes.read_text(encoding="utf-8").strip()]
    lines += [
        "",
        "## Known limits",
        "- Trained on synthetic reports: real citizens' wording, typos and topics will differ; expect lower "
        "accuracy in production until operator corrections are fed back (`python -m triage train "
        "--include-feedback FILE.csv`).",
        "- Text only: photos are accepted by `classify` but not used.",
        "- Safety rules are keyword rules: they miss paraphrases and can fire on unusual wording; they only "
        "ever raise urgency, so their errors cost operator time, not missed emergencies.",
        "",
        f"Reproduce: `python -m triage train --seed {training['seed']}` (same data + seed = same metrics); "
        "`python -m triage evaluate`.",
        "",
    ]
    (version_dir / artifacts.CARD_FILE).write_text("\n".join(lines), encoding="utf-8")
