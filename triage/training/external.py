"""Evaluation on real, public text nobody on this project wrote. EVALUATION ONLY: never train on it.

- SeeClickFix, Newport RI (``seeclickfix_newport.csv``): citizens' issue reports in English with the
  city's ``request_type``. Types are mapped to our categories with ``SEECLICKFIX_MAPPING``; types
  without a sensible counterpart are excluded and counted. The text is the description, plus the
  summary when the citizen wrote one (when the summary is just the request type's name it would give
  the label away and is dropped). Rows without any citizen text are excluded and counted.
- TREC-IS 2018 (``trecis_priority.csv``): crisis tweets with a priority. Positive = High or Critical;
  ours = urgency high or critical. Rows with priority "Unknown" are excluded.
"""

from __future__ import annotations

import csv
from collections import Counter
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, Final

from sklearn.metrics import accuracy_score, f1_score, precision_recall_fscore_support

from triage.model import TriageModel
from triage.predict import Predictor

SEECLICKFIX_FILE: Final = "seeclickfix_newport.csv"
TRECIS_FILE: Final = "trecis_priority.csv"

# request_type -> our category. None = excluded (no counterpart, or too mixed to score fairly).
SEECLICKFIX_MAPPING: Final[Mapping[str, str | None]] = {
    "Roadway or Sidewalk Issue": "road_damage",  # mostly broken roads/sidewalks, debris
    "Pothole Issue": "road_damage",
    "Traffic Sign/Pavement Marking Issue": "traffic",  # signs and markings
    "Missed Trash or Bulky Waste Collection": "environment",  # garbage
    "Tree or Vegetation Issue": "trees_parks",
    "Graffiti Issue": "urban_order",  # defacing walls ~ illegal ads/posters on walls
    "Street Light Issue": "street_lighting",
    "Storm Drain": "drainage_flooding",
    "Recreation Facility, Sports Field or Park Issue": "trees_parks",  # park equipment
    "Playground Issue": "trees_parks",  # park equipment
    "Snow Issue": None,  # no snow in Huế; no category
    "Cliff Walk Issue": None,  # a coastal path: erosion, litter, fences, lights mixed
    "Public Restroom Issue": None,  # cleanliness or opening hours: mixed
    "Beach Issue": None,  # mixed
    "Thank a City Employee": None,  # not a problem report
    "Other": None,
    "": None,
}

TRECIS_POSITIVE: Final = frozenset({"High", "Critical"})
URGENT: Final = frozenset({"high", "critical"})


# ../shared/data/eval beside the repository (the project reads shared data there; never copied in).
DEFAULT_EVAL_DIR: Final = Path(__file__).resolve().parents[3] / "shared" / "data" / "eval"


def _read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def seeclickfix_rows(path: Path) -> tuple[list[tuple[str, str]], Counter[str], int]:
    """(text, expected category) pairs, the excluded types with counts, and rows without text."""
    kept: list[tuple[str, str]] = []
    excluded: Counter[str] = Counter()
    empty = 0
    for record in _read(path):
        request_type = record.get("request_type", "").strip()
        category = SEECLICKFIX_MAPPING.get(request_type)
        if category is None:
            excluded[request_type or "(blank)"] += 1
            continue
        summary = record.get("summary", "").strip()
        description = record.get("description", "").strip()
        parts = [summary] if summary and summary != request_type else []
        if description:
            parts.append(description)
        if not parts:
            empty += 1
            continue
        kept.append((". ".join(parts), category))
    return kept, excluded, empty


def evaluate_seeclickfix(predictor: Predictor, path: Path) -> dict[str, Any]:
    rows, excluded, empty = seeclickfix_rows(path)
    results = predictor.classify_batch([text for text, _ in rows], 0.0)
    truth = [category for _, category in rows]
    predicted = [result.category for result in results]
    labels = sorted(set(truth))
    precision, recall, f1, support = precision_recall_fscore_support(
        truth, predicted, labels=labels, zero_division=0
    )
    return {
        "file": path.name,
        "mapped_rows": len(rows),
        "excluded_unmapped": sum(excluded.values()),
        "excluded_types": dict(sorted(excluded.items())),
        "excluded_empty": empty,
        "accuracy": round(float(accuracy_score(truth, predicted)), 4),
        # macro over the categories present in the mapped rows (others cannot be recalled)
        "macro_f1": round(
            float(f1_score(truth, predicted, labels=labels, average="macro", zero_division=0)), 4
        ),
        "per_class": {
            label: {
                "precision": round(float(p), 4),
                "recall": round(float(r), 4),
                "f1": round(float(f), 4),
                "support": int(s),
            }
            for label, p, r, f, s in zip(labels, precision, recall, f1, support, strict=True)
        },  # fmt: skip
        "predicted_distribution": dict(Counter(predicted).most_common()),
        "mapping": {key: value for key, value in SEECLICKFIX_MAPPING.items() if key},
    }


def evaluate_trecis(predictor: Predictor, path: Path) -> dict[str, Any]:
    records = [
        record for record in _read(path) if record.get("priority") in {"Low", "Medium", "High", "Critical"}
    ]
    results = predictor.classify_batch([record["text"] for record in records], 0.0)
    truth = [record["priority"] in TRECIS_POSITIVE for record in records]
    predicted = [result.urgency in URGENT for result in results]
    true_positive = sum(1 for t, p in zip(truth, predicted, strict=True) if t and p)
    positives = sum(truth)
    flagged = sum(predicted)
    precision = true_positive / flagged if flagged else 0.0
    recall = true_positive / positives if positives else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "file": path.name,
        "rows": len(records),
        "excluded_unknown_priority": sum(1 for r in _read(path)) - len(records),
        "positives": positives,
        "flagged": flagged,
        "precision": round(precision, 4),
        "recall": round(recall, 4),
        "f1": round(f1, 4),
        "base_rate": round(positives / len(records), 4) if records else None,
        "predicted_urgency": dict(Counter(result.urgency for result in results).most_common()),
    }


def evaluate_external(
    model: TriageModel, version: str | None = None, directory: Path | None = None
) -> dict[str, Any]:
    """Both external evaluations (those whose file exists) for one model + the safety rules."""
    directory = directory or DEFAULT_EVAL_DIR
    predictor = Predictor(model, version)
    found: dict[str, Any] = {}
    if (directory / SEECLICKFIX_FILE).is_file():
        found["seeclickfix"] = evaluate_seeclickfix(predictor, directory / SEECLICKFIX_FILE)
    if (directory / TRECIS_FILE).is_file():
        found["trecis"] = evaluate_trecis(predictor, directory / TRECIS_FILE)
    return found


def summary_lines(external: Mapping[str, Any]) -> Sequence[str]:
    lines: list[str] = []
    scf = external.get("seeclickfix")
    if scf:
        lines.append(
            f"SeeClickFix Newport: {scf['mapped_rows']} mapped rows, accuracy {scf['accuracy']:.3f}, "
            f"macro-F1 {scf['macro_f1']:.3f} (excluded {scf['excluded_unmapped']} unmapped, {scf['excluded_empty']} empty)"
        )
    trec = external.get("trecis")
    if trec:
        lines.append(
            f"TREC-IS high+critical: precision {trec['precision']:.3f}, recall {trec['recall']:.3f}, "
            f"F1 {trec['f1']:.3f} ({trec['positives']} positives of {trec['rows']})"
        )
    return lines
