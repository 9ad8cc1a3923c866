"""External evaluation: the SeeClickFix mapping and the TREC-IS scoring on small hand-made files."""

import csv

import pytest

from triage.predict import Predictor
from triage.taxonomy import CATEGORIES
from triage.training.external import (
    SEECLICKFIX_MAPPING,
    evaluate_seeclickfix,
    evaluate_trecis,
    seeclickfix_rows,
)


def _write(path, header, rows):
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def test_mapping_targets_are_categories():
    assert {value for value in SEECLICKFIX_MAPPING.values() if value is not None} <= set(CATEGORIES)


def test_seeclickfix_rows_drop_label_leaking_summaries_unmapped_types_and_empty_text(tmp_path):
    path = _write(
        tmp_path / "scf.csv",
        ["id", "summary", "request_type", "description"],
        [
            [1, "Pothole Issue", "Pothole Issue", "Big hole on Spring St"],  # summary = type name: dropped
            [
                2,
                "Hole left by pole removal",
                "Roadway or Sidewalk Issue",
                "never filled",
            ],  # citizen summary kept
            [3, "Snow Issue", "Snow Issue", "not plowed"],  # unmapped
            [4, "Street Light Issue", "Street Light Issue", ""],  # nothing written by the citizen
        ],
    )

    rows, excluded, empty = seeclickfix_rows(path)

    assert rows == [
        ("Big hole on Spring St", "road_damage"),
        ("Hole left by pole removal. never filled", "road_damage"),
    ]
    assert dict(excluded) == {"Snow Issue": 1}
    assert empty == 1


def test_seeclickfix_scores_with_the_rules_only_predictor(tmp_path):
    path = _write(
        tmp_path / "scf.csv",
        ["id", "summary", "request_type", "description"],
        [
            [1, "Other", "Other", "x"],
            [2, "Street Light Issue", "Street Light Issue", "A live wire fell on the road"],
        ],
    )

    result = evaluate_seeclickfix(Predictor(None, None), path)

    # without a model the rules' hint answers: power_supply, which is wrong for a street-light report
    assert (result["mapped_rows"], result["excluded_unmapped"], result["accuracy"]) == (1, 1, 0.0)


def test_trecis_counts_high_and_critical_as_positive(tmp_path):
    path = _write(
        tmp_path / "trec.csv",
        ["post_id", "text", "priority"],
        [
            [1, "House on fire, people trapped", "Critical"],
            [2, "Thoughts and prayers", "Low"],
            [3, "Power lines down on Main St", "High"],
            [4, "Nice weather", "Unknown"],
        ],
    )

    result = evaluate_trecis(Predictor(None, None), path)

    assert (result["rows"], result["excluded_unknown_priority"], result["positives"]) == (3, 1, 2)
    assert (result["precision"], result["recall"]) == (pytest.approx(1.0), pytest.approx(1.0))
