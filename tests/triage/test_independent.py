"""The independent test set is reachable only through aggregate figures, scored once per version."""

import csv
import json
import shutil

import pytest

from triage import artifacts
from triage.training import independent
from triage.training.independent import language_of, read_independent, urgency_figures

ROWS = [
    ("1", "Dây điện đứt rơi xuống đường, đang tóe lửa", "power_supply", "critical"),
    ("2", "den duong hong ca tuan nay roi", "street_lighting", "normal"),
    ("3", "Please add a bench in the park", "trees_parks", "low"),
    ("4", "Rác chất đống bốc mùi hôi thối", "environment", "normal"),
]


def _write_set(directory):
    directory.mkdir()
    for name in independent.WRITER_FILES:
        with (directory / name).open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(["id", "text", "category", "urgency"])
            writer.writerows(ROWS)


def test_the_committed_set_has_320_valid_reports_per_writer():
    reports = read_independent()
    assert len(reports) == 960
    assert {w: sum(r.writer == w for r in reports) for w in ("writer_a", "writer_b", "writer_c")} == {
        "writer_a": 320, "writer_b": 320, "writer_c": 320,
    }  # fmt: skip


def test_urgency_figures_on_a_small_example():
    truth = ["critical", "critical", "high", "normal", "low", "normal"]
    predicted = ["critical", "high", "critical", "critical", "low", "normal"]
    assert urgency_figures(truth, predicted) == {
        "rows": 6,
        "urgency_accuracy": 0.5,
        "urgency_within_one": 0.8333,
        "urgency_too_high": 0.3333,
        "urgency_too_low": 0.1667,
        "critical_support": 2,
        "critical_recall": 0.5,
        "critical_precision": 0.3333,
        "low_normal_marked_critical": 0.3333,
    }


def test_language_slices():
    assert language_of("Đường ngập nước") == "vi_accented"
    assert language_of("duong nay bi ngap nuoc") == "vi_unaccented"
    assert language_of("The road is flooded again") == "en"


def test_a_version_is_scored_once_and_only_aggregates_are_stored(trained, tmp_path):
    # given a version in its own models folder and a small set in the writers' format
    root = tmp_path / "models"
    shutil.copytree(trained.path, root / trained.version)
    _write_set(tmp_path / "set")
    printed = []
    # when it is scored
    figures = independent.evaluate_independent(
        trained.model, trained.version, root, review_threshold=0.6, directory=tmp_path / "set", out=printed.append
    )
    # then the figures are aggregates, stored in the version's metrics
    stored = artifacts.read_json(root / trained.version / "metrics.json")["independent"]
    assert stored == json.loads(json.dumps(figures))
    assert figures["rows"] == 12
    assert set(figures["by_writer"]) == {"writer_a", "writer_b", "writer_c"}
    assert figures["diacritics"]["rows"] == 6
    dumped = json.dumps(figures, ensure_ascii=False)
    assert not any(text in dumped for _, text, _, _ in ROWS)
    assert "## Independent test set" in (root / trained.version / "MODEL_CARD.md").read_text()
    # when it is asked again, the stored figures come back without a new scoring
    again = independent.evaluate_independent(
        trained.model, trained.version, root, review_threshold=0.0, directory=tmp_path / "set", out=printed.append
    )
    assert again == stored
    assert printed == [f"{trained.version} was scored on this set at {stored['scored_at']}; the stored figures:"]


def test_a_malformed_row_is_refused(tmp_path):
    _write_set(tmp_path / "set")
    with (tmp_path / "set" / "writer_b.csv").open("a", encoding="utf-8") as handle:
        handle.write("5,some text,potholes,high\n")
    with pytest.raises(ValueError, match=r"writer_b.csv:6: unknown label or empty text"):
        read_independent(tmp_path / "set")
