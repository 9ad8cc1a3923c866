"""Labelled reports: reading them, hashing them, and the grouped held-out split."""

from __future__ import annotations

import csv
import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Final

import numpy as np
from numpy.typing import NDArray
from sklearn.model_selection import StratifiedGroupKFold

from triage.taxonomy import CATEGORIES, URGENCIES

DEFAULT_DATA_PATH: Final = Path(__file__).resolve().parent.parent / "data" / "reports.csv"
# Training reports by writers outside the team (triage/data/DATA_CARD.md, "New writers"): one file per
# writer, ``train_writer_<x>.csv`` with columns text,category,urgency. Used in training whole (never in
# the held-out split, which stays the corpus's) and as leave-one-writer-out validation (policy.py).
DEFAULT_WRITERS_DIR: Final = DEFAULT_DATA_PATH.parent / "writers"
WRITER_FILE_PREFIX: Final = "train_"
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




def check_label(report: LabelledReport, where: str) -> None:
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
            check_label(report, f"{path}:{number}")
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



def writer_of(report: LabelledReport) -> str:
    """The new writer a row came from (``writer_d``...), or "" for corpus rows and corrections."""
    return report.source if report.source.startswith("writer_") else ""


def read_writer_reports(directory: Path | str = DEFAULT_WRITERS_DIR) -> list[LabelledReport]:
    """Every row of the new writers' files, in file then row order; labels are checked.

    A row's ``id`` and ``group`` are ``<writer>-<row number>`` (each report is its own group: the writers
    wrote no variants), ``source`` is the writer; ``lang``/``accents`` are computed from the text as in
    the corpus (English rows count as accented). A text that repeats an earlier one (ignoring case,
    marks and punctuation) is dropped, so a writer's repeats cannot sit on both sides of a fold.
    """
    from triage.text import fold
    from triage.training.independent import language_of

    rows: list[LabelledReport] = []
    seen: set[str] = set()
    for path in sorted(Path(directory).glob(f"{WRITER_FILE_PREFIX}writer_*.csv")):
        writer = path.stem.removeprefix(WRITER_FILE_PREFIX)
        with path.open(encoding="utf-8", newline="") as handle:
            for number, record in enumerate(csv.DictReader(handle), start=2):
                language = language_of(str(record["text"]))
                report = as_report(
                    {
                        **record,
                        "id": f"{writer}-{number - 1}",
                        "group": f"{writer}-{number - 1}",
                        "lang": "en" if language == "en" else "vi",
                        "accents": "0" if language == "vi_unaccented" else "1",
                        "source": writer,
                    }
                )
                check_label(report, f"{path}:{number}")
                key = " ".join("".join(c if c.isalnum() else " " for c in fold(report.text)).split())
                if key in seen:
                    continue
                seen.add(key)
                rows.append(report)
    return rows


def read_feedback(path: Path | str) -> list[LabelledReport]:
    """Operator-corrected reports from a CSV with at least text, category and urgency columns."""
    examples: list[LabelledReport] = []
    with Path(path).open(encoding="utf-8", newline="") as handle:
        for number, record in enumerate(csv.DictReader(handle), start=2):
            report = as_report(record)
            check_label(report, f"{path}:{number}")
            examples.append(report)
    return examples
