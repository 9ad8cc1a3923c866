"""Training: deterministic, grouped split, feedback loop and promotion."""

import dataclasses
import json
import shutil

import pytest

from tests.triage.conftest import FIXTURE_CONFIG
from triage import artifacts
from triage.training.cli import main
from triage.training.data import (
    LabelledReport,
    data_hash,
    held_out_split,
    read_trained_on,
    read_writer_reports,
    text_key,
    unseen_by,
    writer_of,
)
from triage.training.promote import promote_if_not_worse
from triage.training.train import train


def _without_run_details(metrics):
    metrics = json.loads(json.dumps(metrics))
    metrics.pop("model_version")
    metrics["training"].pop("seconds")
    return metrics


def test_same_data_and_seed_give_the_same_model_and_metrics(fixture_rows, trained, tmp_path):
    # Given the session's model, trained on the fixture with seed 7 / When trained again the same way
    again = train(
        fixture_rows, seed=7, progress=False, root=tmp_path, version="2026.01.01-2", config=FIXTURE_CONFIG
    )

    # Then metrics and even the model file's bytes are identical
    assert _without_run_details(again.metrics) == _without_run_details(trained.metrics)
    manifests = [json.loads((o.path / "manifest.json").read_text()) for o in (trained, again)]
    assert manifests[0]["model_sha256"] == manifests[1]["model_sha256"]


def _active_copy(trained, root):
    """The session's trained version copied into ``root`` and made active there."""
    shutil.copytree(trained.path, root / trained.version)
    outcome = dataclasses.replace(trained, path=root / trained.version)
    assert promote_if_not_worse(outcome, root=root, out=lambda line: None) is True
    return outcome


def test_split_keeps_groups_together_and_is_reproducible(fixture_rows):
    train_index, test_index = held_out_split(fixture_rows, seed=42)

    train_groups = {fixture_rows[i].group for i in train_index}
    test_groups = {fixture_rows[i].group for i in test_index}
    assert train_groups.isdisjoint(test_groups)
    assert len(train_index) + len(test_index) == len(fixture_rows)
    again = held_out_split(fixture_rows, seed=42)
    assert (again[0] == train_index).all() and (again[1] == test_index).all()


def test_metrics_hold_the_agreed_figures(trained):
    held = trained.metrics["held_out"]

    assert set(held["category"]["per_class"]["power_supply"]) == {"precision", "recall", "f1", "support"}
    assert len(held["category"]["confusion_matrix"]["matrix"]) == 15
    assert held["urgency"]["confusion_matrix"]["labels"] == ["low", "normal", "high", "critical"]
    assert set(held["critical"]) >= {"recall", "recall_model_only", "precision", "support"}
    assert set(held["by_accents"]) == {"accented", "unaccented", "accuracy_gap"}
    assert trained.metrics["data_hash"] and trained.metrics["libraries"]["scikit-learn"]
    on_disk = json.loads((trained.path / "metrics.json").read_text())
    assert on_disk["held_out"] == held


def test_first_model_is_promoted(trained, tmp_path):
    shutil.copytree(trained.path, tmp_path / trained.version)
    outcome = dataclasses.replace(trained, path=tmp_path / trained.version)
    printed = []

    assert promote_if_not_worse(outcome, root=tmp_path, out=printed.append) is True
    assert artifacts.active_version(tmp_path) == trained.version
    assert printed == [f"no active model: {trained.version} becomes active"]


def test_a_worse_model_is_not_promoted_and_the_comparison_is_printed(fixture_rows, trained, tmp_path):
    # Given an active model
    good = _active_copy(trained, tmp_path)
    # and a retrained one fed with wrong "corrections" (every report labelled other/low, three times)
    wrong = [
        {"text": row.text, "category": "other", "urgency": "low"} for row in fixture_rows for _ in range(3)
    ]
    bad = train(
        fixture_rows, seed=7, extra_examples=wrong, progress=False, root=tmp_path, config=FIXTURE_CONFIG
    )
    printed = []

    # When promotion is attempted
    promoted = promote_if_not_worse(bad, root=tmp_path, out=printed.append)

    # Then the active model stays, and both were compared on the same held-out reports
    assert promoted is False
    assert artifacts.active_version(tmp_path) == good.version
    assert printed[0] == f"held-out split of {len(bad.held_out)} reports (seed 7):"
    assert printed[1].split() == ["metric", good.version, bad.version]
    assert printed[-1].startswith(f"not promoted: {bad.version} is worse on category_macro_f1")


def test_a_version_records_the_texts_it_was_trained_on(fixture_rows, trained):
    keys = read_trained_on(trained.path)

    held_out = {text_key(row.text) for row in trained.held_out}
    assert keys is not None and keys
    assert keys.isdisjoint(held_out)
    assert keys | held_out == {text_key(row.text) for row in fixture_rows}


def test_unseen_by_drops_held_out_groups_the_other_model_saw(fixture_rows, trained):
    # Given a model that trained on one row of a held-out group (as after the data and split changed)
    first = trained.held_out[0]
    seen = frozenset({text_key(first.text)})

    # Then that whole group is left out of the comparison, the other held-out groups stay
    kept = unseen_by(trained.held_out, seen)
    assert all(row.group != first.group for row in kept)
    assert len(kept) == sum(1 for row in trained.held_out if row.group != first.group)


def test_after_a_data_change_versions_are_compared_on_reports_neither_saw(fixture_rows, trained, tmp_path):
    # Given an active model and a new one trained on different data (so with a different split)
    good = _active_copy(trained, tmp_path)
    changed = train(fixture_rows[:-12], seed=8, progress=False, root=tmp_path, config=FIXTURE_CONFIG)
    printed = []

    # When promotion is attempted
    promote_if_not_worse(changed, root=tmp_path, out=printed.append)

    # Then only held-out reports whose group the active model never trained on are compared
    trained_on = read_trained_on(good.path)
    assert trained_on is not None
    expected = len(unseen_by(changed.held_out, trained_on))
    assert 0 < expected < len(changed.held_out)
    assert printed[0].startswith(f"{expected} of the {len(changed.held_out)} held-out reports (seed 8)")


def test_cli_trains_with_feedback_from_a_wrapper(fixture_rows, tmp_path):
    # Given the fixture as data and one correction passed in by a caller (e.g. the Django command)
    from tests.triage.conftest import FIXTURE_CSV

    printed = []
    feedback = [{"text": "Nắp cống bị vỡ ở kiệt 9", "category": "drainage_flooding", "urgency": "high"}]

    status = main(
        [
            "--models-dir",
            str(tmp_path),
            "train",
            "--data",
            str(FIXTURE_CSV),
            "--seed",
            "5",
            "--no-external",
            "--no-writers",
            "--quiet",
        ],
        extra_examples=feedback,
        out=printed.append,
    )

    assert status == 0
    version = artifacts.active_version(tmp_path)
    metrics = json.loads((tmp_path / version / "metrics.json").read_text())
    assert metrics["training"]["extra_examples"] == 1  # trained on ...
    assert metrics["training"]["train_rows"] + metrics["training"]["held_out_rows"] == len(
        fixture_rows
    )  # never held out
    assert metrics["training"]["seed"] == 5
    assert printed[0].startswith(f"model {version}, held-out split")
    # and the new version was scored once on the independent set, reported beside the active one's
    assert set(metrics["independent"]) >= {"critical_recall", "urgency_accuracy", "category_macro_f1"}
    report = printed[printed.index("independent test set (960 reports; reported, never used to promote):") :]
    assert report[1].split() == ["figure", "-", version]
    assert [line.split()[0] for line in report[2:9]] == [
        "category_macro_f1", "category_accuracy", "critical_recall", "low_normal_marked_critical",
        "urgency_accuracy", "urgency_within_one", "needs_review_rate",
    ]  # fmt: skip


def test_unknown_labels_are_refused(fixture_rows, tmp_path):
    with pytest.raises(ValueError, match="unknown category 'potholes'"):
        train(
            fixture_rows,
            extra_examples=[{"text": "x", "category": "potholes", "urgency": "low"}],
            progress=False,
            root=tmp_path,
        )
    assert list(tmp_path.iterdir()) == []  # nothing written


def test_compare_with_baseline_scores_every_report_once_with_models_that_did_not_see_its_group(fixture_rows):
    from triage.training.compare import compare_with_baseline

    # Given an earlier data file (here: the fixture minus some reports) and the current one
    printed = []
    table = compare_with_baseline(
        fixture_rows, fixture_rows[:-20], FIXTURE_CONFIG, FIXTURE_CONFIG, seeds=(3,), out=printed.append
    )

    # Then both recipes are scored on every current report, one JSON line each
    assert [row["recipe"] for row in table] == ["baseline", "new"]
    assert all(row["rows"] == len(fixture_rows) for row in table)
    assert len(printed) == 2 and all(json.loads(line)["seed"] == 3 for line in printed)


def _write_writer(directory, name, rows):
    lines = ["text,category,urgency"] + [f'"{text}",{category},{urgency}' for text, category, urgency in rows]
    (directory / f"train_{name}.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_new_writers_rows_are_read_with_their_writer_language_and_own_group(tmp_path):
    # Given two writers' files, one text repeated (case, marks and punctuation aside) by the second writer
    _write_writer(tmp_path, "writer_d", [
        ("Đèn đường Lê Lợi tắt cả tuần nay", "street_lighting", "normal"),
        ("Street light on Le Loi has been off all week", "street_lighting", "normal"),
    ])  # fmt: skip
    _write_writer(tmp_path, "writer_e", [
        ("den duong le loi tat ca tuan nay!", "street_lighting", "normal"),
        ("cay do chan ngang duong kiet 5 nguoi dang bi ket ben duoi", "trees_parks", "critical"),
    ])  # fmt: skip
    (tmp_path / "train_writer_f.done").write_text("")  # other files are not reports

    rows = read_writer_reports(tmp_path)

    # Then every row but the repeat is kept, in file order, its writer as source and as a one-row group
    assert [(row.id, row.group, row.source, row.lang, row.accents) for row in rows] == [
        ("writer_d-1", "writer_d-1", "writer_d", "vi", "1"),
        ("writer_d-2", "writer_d-2", "writer_d", "en", "1"),
        ("writer_e-2", "writer_e-2", "writer_e", "vi", "0"),
    ]
    assert [writer_of(row) for row in rows] == ["writer_d", "writer_d", "writer_e"]
    assert rows[2].urgency == "critical" and rows[2].category == "trees_parks"


def test_a_new_writers_row_with_an_unknown_label_is_refused(tmp_path):
    _write_writer(tmp_path, "writer_d", [("Có ổ gà lớn", "potholes", "high")])

    with pytest.raises(ValueError, match="train_writer_d.csv:2: unknown category 'potholes'"):
        read_writer_reports(tmp_path)


def test_new_writers_rows_are_trained_on_never_held_out_and_validate_the_policy(fixture_rows, tmp_path):
    # Given the fixture and three new writers with three reports each
    writers = [
        LabelledReport(text=f"{text} ({writer})", category=category, urgency=urgency, id=f"{writer}-{n}",
                       group=f"{writer}-{n}", source=writer)
        for writer in ("writer_d", "writer_e", "writer_f")
        for n, (text, category, urgency) in enumerate([
            ("Dây điện đứt rơi xuống đường đang tóe lửa, người đi qua lại", "power_supply", "critical"),
            ("Karaoke hàng xóm hát tới 11 giờ đêm", "noise", "normal"),
            ("Xin hỏi nộp tiền nước ở đâu", "water_supply", "low"),
        ], start=1)
    ]  # fmt: skip

    outcome = train(fixture_rows, seed=7, progress=False, root=tmp_path, version="2026.01.01-3",
                    config=FIXTURE_CONFIG, writer_rows=writers)  # fmt: skip

    # Then the held-out split is the corpus's own, and the writers' rows are counted and hashed
    training = outcome.metrics["training"]
    assert training["train_rows"] + training["held_out_rows"] == len(fixture_rows)
    assert not {row.source for row in outcome.held_out} & {"writer_d", "writer_e", "writer_f"}
    assert training["writer_rows"] == {"writer_d": 3, "writer_e": 3, "writer_f": 3}
    assert training["writer_rows_hash"] == data_hash(writers)
    # and the policy was chosen on the corpus folds and on each writer held out in turn
    validation = training["urgency_policy"]["validation"]
    assert validation["leave_one_writer_out"] == ["writer_d", "writer_e", "writer_f"]
    assert validation["segments"]["new_writers"]["rows"] == 9
    assert validation["segments"]["corpus"]["rows"] == training["train_rows"]
    assert text_key(writers[0].text) in read_trained_on(outcome.path)


def test_a_new_writers_copy_of_a_corpus_text_is_left_to_the_corpus(fixture_rows, tmp_path):
    # Given a new writer who wrote, word for word, a text of the corpus, and one text of their own
    copy = LabelledReport(text=fixture_rows[0].text, category=fixture_rows[0].category,
                          urgency=fixture_rows[0].urgency, id="writer_d-1", group="writer_d-1", source="writer_d")
    own = LabelledReport(text="Cột đèn ở kiệt 7 nghiêng", category="street_lighting", urgency="high",
                         id="writer_d-2", group="writer_d-2", source="writer_d")  # fmt: skip

    outcome = train(fixture_rows, seed=7, progress=False, root=tmp_path, version="2026.01.01-4",
                    config=FIXTURE_CONFIG, writer_rows=[copy, own])  # fmt: skip

    # Then only the writer's own text is added; the copy is counted
    assert outcome.metrics["training"]["writer_rows"] == {"writer_d": 1}
    assert outcome.metrics["training"]["writer_rows_already_in_corpus"] == 1
    assert outcome.metrics["training"]["writer_rows_hash"] == data_hash([own])


def test_new_writers_rows_must_name_their_writer(fixture_rows, tmp_path):
    unnamed = [LabelledReport(text="Có ổ gà", category="road_damage", urgency="normal", source="handwritten")]

    with pytest.raises(ValueError, match="needs its writer as source"):
        train(fixture_rows, progress=False, root=tmp_path, config=FIXTURE_CONFIG, writer_rows=unnamed)
