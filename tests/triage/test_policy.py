"""The urgency policy is chosen for the operating point on validation data, with the rules applied."""

import numpy as np

from triage.model import UrgencyPolicy
from triage.training.policy import PolicyTargets, apply, choose_policy, figures


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
