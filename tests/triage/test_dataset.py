"""Checks on the labelled triage corpus ``triage/data/reports.csv`` (no Django needed)."""

from __future__ import annotations

import csv
import subprocess
import sys
from collections import Counter, defaultdict
from pathlib import Path

import pytest

from triage import taxonomy

REPO = Path(__file__).resolve().parents[2]
DATA_DIR = REPO / "triage" / "data"
CSV_PATH = DATA_DIR / "reports.csv"
BUILD = DATA_DIR / "build_dataset.py"

COLUMNS = ["id", "group", "text", "category", "urgency", "lang", "accents", "source"]
CATEGORIES = set(taxonomy.CATEGORIES)
URGENCIES = set(taxonomy.URGENCIES)


@pytest.fixture(scope="module")
def rows() -> list[dict[str, str]]:
    with CSV_PATH.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def test_given_the_corpus_when_reading_the_header_then_columns_are_exact() -> None:
    # given the committed corpus file
    assert CSV_PATH.exists(), "run python triage/data/build_dataset.py"
    # when the header is read
    with CSV_PATH.open(encoding="utf-8", newline="") as fh:
        header = next(csv.reader(fh))
    # then it has exactly the agreed columns, in order
    assert header == COLUMNS


def test_given_the_corpus_when_parsed_then_every_row_is_complete(rows: list[dict[str, str]]) -> None:
    # given the parsed rows / when each row is inspected / then no field is missing or empty
    for row in rows:
        assert None not in row, f"extra fields in {row}"
        assert all(row[c] for c in COLUMNS), f"empty field in {row}"


def test_given_the_corpus_when_checking_codes_then_only_valid_codes_are_used(
    rows: list[dict[str, str]],
) -> None:
    # given the rows, when the label columns are collected
    categories = {r["category"] for r in rows}
    urgencies = {r["urgency"] for r in rows}
    langs = {r["lang"] for r in rows}
    accents = {r["accents"] for r in rows}
    # then they only hold taxonomy codes (and every category is present)
    assert categories == CATEGORIES
    assert urgencies == URGENCIES
    assert langs <= {"vi", "en"}
    assert accents <= {"0", "1"}
    assert all(r["accents"] == "1" for r in rows if r["lang"] == "en")


def test_given_the_corpus_when_counting_then_it_is_large_enough(rows: list[dict[str, str]]) -> None:
    # given the rows / when counted / then there are at least 3,000 of them
    assert len(rows) >= 3000
    # and at least 1,200 hand-written base reports
    assert sum(r["source"] == "handwritten" for r in rows) >= 1200


def test_given_the_corpus_when_counting_per_category_then_each_has_150_rows(
    rows: list[dict[str, str]],
) -> None:
    # given the rows, when grouped by category
    counts = Counter(r["category"] for r in rows)
    # then every category has at least 150 rows
    small = {c: n for c, n in counts.items() if n < 150}
    assert not small, small


def test_given_the_corpus_when_counting_urgency_then_critical_is_well_represented(
    rows: list[dict[str, str]],
) -> None:
    # given the rows, when grouped by urgency
    counts = Counter(r["urgency"] for r in rows)
    # then critical has at least 300 rows spread over several categories, and every level is used
    assert counts["critical"] >= 300
    assert len({r["category"] for r in rows if r["urgency"] == "critical"}) >= 8
    assert min(counts.values()) >= 300


def test_given_vietnamese_rows_when_checking_accents_then_30_percent_are_without(
    rows: list[dict[str, str]],
) -> None:
    # given the Vietnamese rows
    vi = [r for r in rows if r["lang"] == "vi"]
    # when the rows written without diacritics are counted
    without = sum(r["accents"] == "0" for r in vi)
    # then they are at least 30 %
    assert without / len(vi) >= 0.30


def test_given_accent_flags_when_compared_to_text_then_they_agree(rows: list[dict[str, str]]) -> None:
    # given the Vietnamese rows flagged accents=0, when their text is inspected
    vietnamese_marks = set("ăâđêôơưáàảãạấầẩẫậắằẳẵặéèẻẽẹếềểễệíìỉĩịóòỏõọốồổỗộớờởỡợúùủũụứừửữựýỳỷỹỵ")
    for r in rows:
        if r["lang"] == "vi" and r["accents"] == "0":
            # then it holds no Vietnamese diacritics
            assert not (set(r["text"].lower()) & vietnamese_marks), r


def test_given_the_corpus_when_counting_languages_then_15_percent_are_english(
    rows: list[dict[str, str]],
) -> None:
    # given the rows / when the English ones are counted / then they are at least 15 %
    english = sum(r["lang"] == "en" for r in rows)
    assert english / len(rows) >= 0.15


def test_given_the_corpus_when_comparing_texts_then_there_are_no_duplicates(
    rows: list[dict[str, str]],
) -> None:
    # given all texts, when counted
    counts = Counter(r["text"] for r in rows)
    # then none occurs twice
    dupes = [t for t, n in counts.items() if n > 1]
    assert not dupes, dupes[:5]
    # and ids are unique too
    assert len({r["id"] for r in rows}) == len(rows)


def test_given_groups_when_checking_labels_then_no_group_mixes_labels(rows: list[dict[str, str]]) -> None:
    # given the rows grouped by their base report
    labels: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for r in rows:
        labels[r["group"]].add((r["category"], r["urgency"]))
    # when the labels inside each group are compared
    mixed = {g: v for g, v in labels.items() if len(v) > 1}
    # then every group keeps one category and one urgency
    assert not mixed, list(mixed.items())[:3]


def test_given_rows_when_tracing_their_base_then_each_variant_shares_the_base_group(
    rows: list[dict[str, str]],
) -> None:
    # given each row's own base id (the id without its variant number)
    group_of_base: dict[str, set[str]] = defaultdict(set)
    hand: Counter[str] = Counter()
    for r in rows:
        base_id = r["id"].rsplit("-", 1)[0]
        group_of_base[base_id].add(r["group"])
        if r["source"] == "handwritten":
            hand[base_id] += 1
            assert r["id"] == f"{base_id}-0"
    # when the groups of the rows derived from one base are compared
    split = {b: g for b, g in group_of_base.items() if len(g) > 1}
    # then all variants of a base sit in one group, and every base has exactly one handwritten row
    assert not split, list(split.items())[:3]
    assert set(hand) == set(group_of_base)
    assert set(hand.values()) == {1}
    # and every group is named after a hand-written base
    assert {r["group"] for r in rows} <= set(hand)


def test_given_the_build_script_when_rebuilt_then_output_is_byte_identical(tmp_path: Path) -> None:
    # given the committed corpus and the build script
    committed = CSV_PATH.read_bytes()
    # when the script is run twice into temporary paths
    outs = []
    for name in ("a.csv", "b.csv"):
        out = tmp_path / name
        subprocess.run([sys.executable, str(BUILD), "--out", str(out)], check=True, capture_output=True)
        outs.append(out.read_bytes())
    # then both runs and the committed file are byte-identical
    assert outs[0] == outs[1]
    assert outs[0] == committed, "reports.csv is stale: rerun python triage/data/build_dataset.py"


def test_given_the_data_card_when_compared_to_the_build_then_its_stats_are_current() -> None:
    # given the data card and the stats the build script prints
    card = (DATA_DIR / "DATA_CARD.md").read_text(encoding="utf-8")
    result = subprocess.run(
        [sys.executable, str(BUILD), "--stats"], check=True, capture_output=True, text=True, encoding="utf-8"
    )
    # when the generated block is looked up in the card
    # then it is there verbatim (rerun build_dataset.py --update-card after editing the sources)
    assert result.stdout in card


def test_given_the_new_writers_files_when_read_then_they_hold_what_the_data_card_says() -> None:
    from triage.training.data import read_writer_reports, text_key

    writers_dir = DATA_DIR / "writers"
    for name in ("d", "e", "f", "g", "h"):
        with (writers_dir / f"train_writer_{name}.csv").open(encoding="utf-8", newline="") as fh:
            assert next(csv.reader(fh)) == ["text", "category", "urgency"]
    new = read_writer_reports(writers_dir)

    assert Counter(row.source for row in new) == {
        "writer_d": 510, "writer_e": 510, "writer_f": 510, "writer_g": 600, "writer_h": 600,
    }  # fmt: skip
    assert Counter(row.urgency for row in new) == {"critical": 333, "high": 771, "normal": 1045, "low": 581}
    assert Counter(row.category for row in new) == {category: 182 for category in CATEGORIES}
    assert Counter((row.lang, row.accents) for row in new) == {("vi", "1"): 1261, ("vi", "0"): 688, ("en", "1"): 781}
    # and four two-word texts of writer G are corpus texts too (training leaves them to the corpus)
    with CSV_PATH.open(encoding="utf-8", newline="") as fh:
        corpus = {text_key(row["text"]) for row in csv.DictReader(fh)}
    copies = [row for row in new if text_key(row.text) in corpus]
    assert [(row.source, len(row.text.split())) for row in copies] == [("writer_g", 3), ("writer_g", 2), ("writer_g", 2), ("writer_g", 2)]
    # the brief they wrote from is kept beside them
    assert (writers_dir / "BRIEF_TRAIN.md").read_text(encoding="utf-8").startswith("# Brief for writers")
