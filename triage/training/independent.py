"""The independent test set (triage/data/independent/): scored once per model version, aggregates only.

Three writers who saw only a one-page brief (taxonomy + urgency definitions, ``BRIEF.md``) wrote
these reports; nobody on the team reads them (see the data card there). So this module is the only
way in: it classifies every report with one model version + the safety rules and returns aggregate
figures (accuracies, recall, rates, confusion counts), never a text, an id or a per-report error.
The figures are stored in the version's ``metrics.json`` under ``independent`` the first time; asked
again for the same version and the same set, the stored figures are printed, not recomputed, so the set
cannot become a tuning loop. Never train on it or write rules from it.
"""

from __future__ import annotations

import csv
import hashlib
import re
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Final

from sklearn.metrics import f1_score

from triage import artifacts
from triage.model import TriageModel
from triage.predict import Predictor, TriageResult
from triage.taxonomy import CATEGORIES, URGENCIES, urgency_rank
from triage.text import fold, strip_diacritics

INDEPENDENT_DIR: Final = Path(__file__).resolve().parent.parent / "data" / "independent"
WRITER_FILES: Final = ("writer_a.csv", "writer_b.csv", "writer_c.csv")
METRICS_KEY: Final = "independent"
# The figures of the issue-14 operating point, in the order reports print them.
HEADLINE: Final = (
    "category_macro_f1", "category_accuracy", "critical_recall", "low_normal_marked_critical",
    "urgency_accuracy", "urgency_within_one", "needs_review_rate",
)  # fmt: skip

# Frequent Vietnamese words (folded): a text with two of them, or with any diacritics, is Vietnamese.
_VIETNAMESE_WORDS: Final = frozenset(
    ["khong", "duong", "bi", "nha", "cua", "nguoi", "da", "dang", "o", "va", "co", "cho", "rat", "nay", "nhieu", "cac", "mot", "la", "khu", "ben", "tren", "xin", "phuong", "gi", "roi", "duoc", "ma", "thi", "voi", "nuoc", "truoc", "sau", "toi", "tui", "em", "anh", "chi", "hem", "kiet"]
)


@dataclass(frozen=True, slots=True)
class IndependentReport:
    writer: str
    text: str
    category: str
    urgency: str


def read_independent(directory: Path = INDEPENDENT_DIR) -> list[IndependentReport]:
    """Every row of the writers' files (columns id,text,category,urgency); labels are checked."""
    reports: list[IndependentReport] = []
    for name in WRITER_FILES:
        path = directory / name
        with path.open(encoding="utf-8", newline="") as handle:
            for number, record in enumerate(csv.DictReader(handle), start=2):
                category, urgency = record["category"].strip(), record["urgency"].strip()
                if category not in CATEGORIES or urgency not in URGENCIES or not record["text"].strip():
                    raise ValueError(f"{path}:{number}: unknown label or empty text")
                reports.append(IndependentReport(name.removesuffix(".csv"), record["text"], category, urgency))
    return reports


def set_hash(reports: Sequence[IndependentReport]) -> str:
    digest = hashlib.sha256()
    for report in reports:
        digest.update("\x1f".join((report.writer, report.text, report.category, report.urgency)).encode())
        digest.update(b"\n")
    return digest.hexdigest()


def language_of(text: str) -> str:
    """``vi_accented``, ``vi_unaccented`` or ``en`` (a heuristic; used for aggregate slices only)."""
    if strip_diacritics(text) != text:
        return "vi_accented"
    words = re.findall(r"[a-z]+", fold(text))
    return "vi_unaccented" if sum(word in _VIETNAMESE_WORDS for word in words) >= 2 else "en"


def _share(hits: int, total: int) -> float | None:
    return round(hits / total, 4) if total else None


def urgency_figures(truth: Sequence[str], predicted: Sequence[str]) -> dict[str, Any]:
    """Urgency accuracy, within one level, critical recall/precision, low+normal marked critical."""
    pairs = list(zip(truth, predicted, strict=True))
    critical = [p for t, p in pairs if t == "critical"]
    flagged = [t for t, p in pairs if p == "critical"]
    calm = [p for t, p in pairs if t in ("low", "normal")]
    return {
        "rows": len(pairs),
        "urgency_accuracy": _share(sum(t == p for t, p in pairs), len(pairs)),
        "urgency_within_one": _share(
            sum(abs(urgency_rank(t) - urgency_rank(p)) <= 1 for t, p in pairs), len(pairs)
        ),
        "urgency_too_high": _share(sum(urgency_rank(p) > urgency_rank(t) for t, p in pairs), len(pairs)),
        "urgency_too_low": _share(sum(urgency_rank(p) < urgency_rank(t) for t, p in pairs), len(pairs)),
        "critical_support": len(critical),
        "critical_recall": _share(sum(p == "critical" for p in critical), len(critical)),
        "critical_precision": _share(sum(t == "critical" for t in flagged), len(flagged)),
        "low_normal_marked_critical": _share(sum(p == "critical" for p in calm), len(calm)),
    }


def category_figures(truth: Sequence[str], predicted: Sequence[str]) -> dict[str, Any]:
    present = sorted(set(truth))
    return {
        "category_accuracy": _share(sum(t == p for t, p in zip(truth, predicted, strict=True)), len(truth)),
        "category_macro_f1": round(
            float(f1_score(truth, predicted, labels=present, average="macro", zero_division=0)), 4
        )
        if truth
        else None,
    }


def _figures(reports: Sequence[IndependentReport], results: Sequence[TriageResult]) -> dict[str, Any]:
    truth_c = [report.category for report in reports]
    truth_u = [report.urgency for report in reports]
    return {
        **category_figures(truth_c, [result.category for result in results]),
        **urgency_figures(truth_u, [result.urgency for result in results]),
        "needs_review_rate": _share(sum(result.needs_review for result in results), len(results)),
    }


def score(
    predictor: Predictor, reports: Sequence[IndependentReport], review_threshold: float
) -> dict[str, Any]:
    """Aggregate figures of ``predictor`` on the set (see the module docstring)."""
    results = predictor.classify_batch([report.text for report in reports], review_threshold)
    languages = [language_of(report.text) for report in reports]

    def slice_of(keep: Callable[[int], bool]) -> dict[str, Any]:
        chosen = [i for i in range(len(reports)) if keep(i)]
        return _figures([reports[i] for i in chosen], [results[i] for i in chosen])

    accented = [i for i in range(len(reports)) if languages[i] == "vi_accented"]
    # The same accented reports typed without marks: the model must not care.
    folded_results = predictor.classify_batch(
        [strip_diacritics(reports[i].text) for i in accented], review_threshold
    )
    with_marks = _figures([reports[i] for i in accented], [results[i] for i in accented])
    without_marks = _figures([reports[i] for i in accented], folded_results)
    same_category = sum(results[i].category == folded_results[k].category for k, i in enumerate(accented))
    truth_u = [report.urgency for report in reports]
    predicted_u = [result.urgency for result in results]
    return {
        **_figures(reports, results),
        "urgency_confusion": {
            "labels": list(URGENCIES),
            "rows_are": "true urgency",
            "matrix": [
                [sum(1 for t, p in zip(truth_u, predicted_u, strict=True) if (t, p) == (row, col)) for col in URGENCIES]
                for row in URGENCIES
            ],
        },
        "category_f1": _per_category_f1([r.category for r in reports], [r.category for r in results]),
        "diacritics": {
            "rows": len(accented),
            "accented_category_accuracy": with_marks["category_accuracy"],
            "unaccented_category_accuracy": without_marks["category_accuracy"],
            "accuracy_gap": _gap(with_marks["category_accuracy"], without_marks["category_accuracy"]),
            "accented_urgency_accuracy": with_marks["urgency_accuracy"],
            "unaccented_urgency_accuracy": without_marks["urgency_accuracy"],
            "same_category_share": _share(same_category, len(accented)),
        },
        "by_language": {
            language: slice_of(lambda i, language=language: languages[i] == language)  # type: ignore[misc]
            for language in sorted(set(languages))
        },
        "by_writer": {
            writer: slice_of(lambda i, writer=writer: reports[i].writer == writer)  # type: ignore[misc]
            for writer in sorted({report.writer for report in reports})
        },
        "review_reasons": dict(
            Counter(reason for result in results for reason in result.review_reasons).most_common()
        ),
    }


def _gap(first: float | None, second: float | None) -> float | None:
    return None if first is None or second is None else round(first - second, 4)


def _per_category_f1(truth: Sequence[str], predicted: Sequence[str]) -> dict[str, float]:
    scores = f1_score(truth, predicted, labels=list(CATEGORIES), average=None, zero_division=0)
    return {label: round(float(value), 4) for label, value in zip(CATEGORIES, scores, strict=True)}


def evaluate_independent(
    model: TriageModel,
    version: str,
    root: Path,
    *,
    review_threshold: float,
    directory: Path = INDEPENDENT_DIR,
    out: Callable[[str], None] = print,
) -> dict[str, Any]:
    """The version's figures on the set: stored ones if it was scored on this set before, else scored
    now and stored in its metrics.json (and model card)."""
    reports = read_independent(directory)
    hash_of_set = set_hash(reports)
    metrics_path = root / version / artifacts.METRICS_FILE
    metrics = artifacts.read_json(metrics_path)
    stored = metrics.get(METRICS_KEY)
    if isinstance(stored, Mapping) and stored.get("set_hash") == hash_of_set:
        out(f"{version} was scored on this set at {stored.get('scored_at')}; the stored figures:")
        return dict(stored)
    figures = {
        "set_hash": hash_of_set,
        "scored_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "review_threshold": review_threshold,
        **score(Predictor(model, version), reports, review_threshold),
    }
    metrics[METRICS_KEY] = figures
    artifacts.write_json(metrics_path, metrics)
    from triage.training.report import write_model_card

    write_model_card(root / version, metrics)
    return figures


def summary_lines(figures: Mapping[str, Any]) -> list[str]:
    """The headline figures, one line each (aggregates only)."""
    accents = figures["diacritics"]
    lines = [
        f"independent set: {figures['rows']} reports by {len(figures['by_writer'])} writers",
        f"  category accuracy {figures['category_accuracy']}  macro-F1 {figures['category_macro_f1']}",
        f"  urgency accuracy {figures['urgency_accuracy']}  within one level {figures['urgency_within_one']}"
        f"  (too high {figures['urgency_too_high']}, too low {figures['urgency_too_low']})",
        f"  critical recall {figures['critical_recall']} (n={figures['critical_support']})  precision "
        f"{figures['critical_precision']}  low/normal marked critical {figures['low_normal_marked_critical']}",
        f"  diacritics: category accuracy {accents['accented_category_accuracy']} with marks vs "
        f"{accents['unaccented_category_accuracy']} without (gap {accents['accuracy_gap']}; same category "
        f"{accents['same_category_share']} of {accents['rows']} pairs)",
        f"  needs review {figures['needs_review_rate']}",
    ]
    for language, block in figures["by_language"].items():
        lines.append(
            f"  {language} (n={block['rows']}): category {block['category_accuracy']}, urgency "
            f"{block['urgency_accuracy']}, critical recall {block['critical_recall']}"
        )
    for writer, block in figures["by_writer"].items():
        lines.append(
            f"  {writer} (n={block['rows']}): category {block['category_accuracy']}, urgency "
            f"{block['urgency_accuracy']}, critical recall {block['critical_recall']}"
        )
    return lines
