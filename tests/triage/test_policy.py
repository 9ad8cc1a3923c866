"""The urgency policy is chosen for the operating point on validation data, with the rules applied."""

import numpy as np

from triage.model import UrgencyPolicy
from triage.training.data import LabelledReport
from triage.training.fit import TrainingConfig
from triage.training.policy import (
    NEW_WRITERS,
    PolicyTargets,
    apply,
    choose_policy,
    figures,
    sample_weights,
    validation_folds,
)


def _case():
    # ordered probabilities (low, normal, high, critical) of 8 reports, their true ranks, no rule
    probabilities = np.array(
        [
            [0.7, 0.2, 0.1, 0.0],  # low
            [0.1, 0.7, 0.2, 0.0],  # normal
            [0.1, 0.5, 0.1, 0.3],  # normal, some critical probability
            [0.0, 0.3, 0.6, 0.1],  # high
            [0.0, 0.2, 0.5, 0.3],  # high
            [0.0, 0.1, 0.4, 0.5],  # critical
            [0.0, 0.2, 0.45, 0.35],  # critical, unsure
            [0.0, 0.0, 0.1, 0.9],  # critical
        ]
    )
    truth = np.array([0, 1, 1, 2, 2, 3, 3, 3])
    return probabilities, truth


def test_apply_reads_the_scale_and_the_rules_only_raise():
    probabilities, _ = _case()
    policy = UrgencyPolicy(critical=0.45, high=0.5, normal=0.5)
    assert apply(policy, probabilities, np.zeros(8, dtype=np.intp)).tolist() == [0, 1, 1, 2, 2, 3, 2, 3]
    floors = np.array([0, 0, 0, 0, 0, 0, 3, 0])
    assert apply(policy, probabilities, floors).tolist() == [0, 1, 1, 2, 2, 3, 3, 3]


def test_the_chosen_policy_keeps_calm_reports_out_of_critical_then_maximises_recall():
    probabilities, truth = _case()
    # given at most 3 % of low/normal reports may be marked critical (none of these three)
    policy, report = choose_policy(
        probabilities, np.zeros(8, dtype=np.intp), truth, PolicyTargets(max_calm_flagged=0.34)
    )
    # then P(critical) 0.3 of the normal report stays below the critical threshold, and the critical
    # reports at 0.35 and above are found
    assert 0.3 < policy.critical <= 0.35
    assert (report["critical_recall"], report["calm_marked_critical"], report["accuracy"]) == (1.0, 0.0, 1.0)
    # the unsure band reaches down while at most a third of calm reports would be flagged
    assert policy.unsure <= 0.3
    assert report["calm_critical_or_unsure"] <= 0.34


def test_figures():
    ranks = np.array([0, 1, 3, 2, 3])
    truth = np.array([0, 1, 1, 3, 3])
    assert figures(ranks, truth) == {
        "accuracy": 0.6,
        "within_one": 0.8,
        "critical_recall": 0.5,
        "calm_marked_critical": 1 / 3,
    }


def _segments_case():
    # Corpus-like segment: 20 low, 20 normal, 20 critical reports whose P(critical) is only 0.3.
    corpus = (
        [[0.8, 0.2, 0.0, 0.0]] * 20 + [[0.1, 0.8, 0.1, 0.0]] * 20 + [[0.0, 0.1, 0.6, 0.3]] * 20
    )
    # New writers: a normal report with P(critical) 0.35, a plain normal one, two clear criticals.
    writers = [[0.1, 0.45, 0.1, 0.35], [0.1, 0.8, 0.1, 0.0], [0.0, 0.0, 0.4, 0.6], [0.0, 0.0, 0.4, 0.6]]
    probabilities = np.array(corpus + writers)
    truth = np.array([0] * 20 + [1] * 20 + [3] * 20 + [1, 1, 3, 3])
    segments = {"corpus": np.arange(64) < 60, "new_writers": np.arange(64) >= 60}
    return probabilities, truth, segments


def test_pooled_rows_let_a_small_segment_break_the_false_critical_budget():
    # Given one pool of all validation rows: 1 calm report of 42 marked critical is within 3 %
    probabilities, truth, _ = _segments_case()

    policy, report = choose_policy(probabilities, np.zeros(64, dtype=np.intp), truth)

    # Then the threshold reaches down to the corpus's criticals, and half the new writers' calm reports
    assert policy.critical <= 0.3
    assert report["critical_recall"] == 1.0 and "segments" not in report


def test_each_segment_must_meet_the_operating_point_on_its_own():
    # Given the same rows read as two segments (corpus folds, leave-one-writer-out folds)
    probabilities, truth, segments = _segments_case()

    policy, report = choose_policy(probabilities, np.zeros(64, dtype=np.intp), truth, segments=segments)

    # Then no segment marks more than 3 % of its calm reports critical, though the corpus's recall drops
    assert 0.35 < policy.critical <= 0.6
    assert report["segments"] == {
        "corpus": {"accuracy": 0.6667, "within_one": 1.0, "critical_recall": 0.0, "calm_marked_critical": 0.0,
                   "rows": 60},
        "new_writers": {"accuracy": 1.0, "within_one": 1.0, "critical_recall": 1.0, "calm_marked_critical": 0.0,
                        "rows": 4},
    }  # fmt: skip


def _report(writer, n, urgency="normal"):
    return LabelledReport(
        text=f"report {writer} {n}", category="noise", urgency=urgency, id=f"{writer or 'g'}-{n}",
        group=f"{writer or 'g'}-{n // 2}", source=writer or "handwritten",
    )  # fmt: skip


def test_validation_folds_hold_out_corpus_groups_then_one_new_writer_at_a_time():
    # Given 20 corpus rows in groups of two and three new writers with 3 rows each
    training = [_report("", n, ("low", "normal", "high", "critical")[n % 4]) for n in range(20)]
    training += [_report(writer, n) for writer in ("writer_d", "writer_e", "writer_f") for n in range(3)]
    groups = [row.group for row in training]

    folds = validation_folds(training, groups, folds=4, seed=1)

    # Then four corpus folds score every corpus row once, new writers always on the fitting side
    corpus_folds = [fold for fold in folds if fold[0] == "corpus"]
    assert len(corpus_folds) == 4
    assert sorted(i for _, _, scored in corpus_folds for i in scored) == list(range(20))
    for _, fitted, scored in corpus_folds:
        assert set(range(20, 29)) <= set(fitted)
        assert {groups[i] for i in fitted}.isdisjoint(groups[i] for i in scored)
    # and each writer is scored by a model fitted on every other row, none of that writer's
    writer_folds = [fold for fold in folds if fold[0] == NEW_WRITERS]
    assert [sorted(scored) for _, _, scored in writer_folds] == [[20, 21, 22], [23, 24, 25], [26, 27, 28]]
    for _, fitted, scored in writer_folds:
        assert sorted([*fitted, *scored]) == list(range(29))


def test_without_new_writers_the_folds_are_the_corpus_folds_alone():
    training = [_report("", n, ("low", "normal", "high", "critical")[n % 4]) for n in range(20)]

    folds = validation_folds(training, [row.group for row in training], folds=4, seed=1)

    assert [name for name, _, _ in folds] == ["corpus"] * 4


def test_new_writers_rows_weigh_as_configured():
    rows = [_report("", 0), _report("writer_d", 1)]
    assert sample_weights(rows, TrainingConfig(writer_weight=3.0)) == [1.0, 3.0]
    assert sample_weights(rows, TrainingConfig(writer_weight=1.0)) == [1.0, 1.0]
