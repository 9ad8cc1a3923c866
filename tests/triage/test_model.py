"""The array-only model computes exactly what the scikit-learn objects it was exported from compute."""

import dataclasses

import numpy as np
import scipy.sparse as sp
from sklearn.calibration import CalibratedClassifierCV
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.svm import LinearSVC

from triage.model import TriageModel, UrgencyPolicy, char_ngrams, word_ngrams
from triage.normalize import normalize
from triage.training.fit import (
    TrainingConfig,
    _calibrated_svm,
    _empty_head,
    _fit_category_head,
    head_from_calibrated_svm,
    head_from_cumulative_svms,
    head_from_logistic_regression,
)


def _fitted(rows):
    texts = [normalize(row.text) for row in rows]
    char = TfidfVectorizer(analyzer=char_ngrams, sublinear_tf=True, min_df=2, lowercase=False).fit(texts)
    word = TfidfVectorizer(analyzer=word_ngrams, sublinear_tf=True, min_df=2, lowercase=False).fit(texts)
    reference = sp.hstack([char.transform(texts), word.transform(texts)], format="csr")
    return texts, char, word, reference


def _model(char, word, category, urgency) -> TriageModel:
    return TriageModel(
        char_vocabulary=dict(char.vocabulary_),
        char_idf=char.idf_.astype(np.float32),
        word_vocabulary=dict(word.vocabulary_),
        word_idf=word.idf_.astype(np.float32),
        category=category,
        urgency=urgency,
        urgency_policy=UrgencyPolicy(critical=0.35),
    )


def test_features_equal_scikit_learn_tfidf(fixture_rows):
    # Given vectorizers fitted by scikit-learn
    texts, char, word, reference = _fitted(fixture_rows)
    labels = [row.category for row in fixture_rows]
    head = head_from_logistic_regression(LogisticRegression(max_iter=500).fit(reference, labels))

    # When the exported model computes the features itself
    features = _model(char, word, head, head).features(texts + ["", "tu moi hoan toan xyz"])

    # Then they are scikit-learn's, also for an empty text and unknown words
    extra = sp.hstack(
        [char.transform(["", "tu moi hoan toan xyz"]), word.transform(["", "tu moi hoan toan xyz"])]
    )
    expected = sp.vstack([reference, extra]).toarray()
    np.testing.assert_allclose(features.toarray(), expected, rtol=1e-5, atol=1e-6)


def test_logistic_regression_probabilities_equal_predict_proba(fixture_rows):
    texts, char, word, reference = _fitted(fixture_rows)
    classifier = LogisticRegression(C=10.0, max_iter=1000).fit(
        reference, [row.category for row in fixture_rows]
    )
    head = head_from_logistic_regression(classifier)

    probabilities = head.probabilities(_model(char, word, head, head).features(texts))

    np.testing.assert_allclose(probabilities, classifier.predict_proba(reference), rtol=1e-4, atol=1e-5)


def test_calibrated_svm_probabilities_equal_predict_proba(fixture_rows):
    texts, char, word, reference = _fitted(fixture_rows)
    calibrated = CalibratedClassifierCV(LinearSVC(C=0.5), method="sigmoid", cv=3, ensemble=False)
    calibrated.fit(reference, [row.urgency for row in fixture_rows])
    head = head_from_calibrated_svm(calibrated)

    probabilities = head.probabilities(_model(char, word, head, head).features(texts))

    np.testing.assert_allclose(probabilities, calibrated.predict_proba(reference), rtol=1e-4, atol=1e-5)


def test_ordinal_head_gives_each_level_the_difference_of_its_calibrated_steps(fixture_rows):
    # Given one calibrated binary SVM per step of the urgency scale (level >= normal, >= high, critical)
    texts, char, word, reference = _fitted(fixture_rows)
    levels = ("low", "normal", "high", "critical")
    rank = np.asarray([levels.index(row.urgency) for row in fixture_rows])
    steps = [
        CalibratedClassifierCV(LinearSVC(C=0.5), method="sigmoid", cv=3, ensemble=False).fit(
            reference, (rank >= k).astype(int)
        )
        for k in (1, 2, 3)
    ]
    head = head_from_cumulative_svms(levels, steps)
    model = _model(char, word, head, head)

    # When the exported head computes the level probabilities (batch and one-report paths)
    probabilities = head.probabilities(model.features(texts))
    one = model.predict_proba([texts[0]])[1]

    # Then P(level >= k) is each step's predict_proba made non-increasing, and the levels sum to one
    above = np.minimum.accumulate(np.stack([s.predict_proba(reference)[:, 1] for s in steps], axis=1), axis=1)
    np.testing.assert_allclose(probabilities[:, 1:].sum(axis=1), above[:, 0], rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(probabilities[:, 3], above[:, 2], rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(probabilities[:, 2] + probabilities[:, 3], above[:, 1], rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(probabilities.sum(axis=1), np.ones(len(texts)), rtol=1e-9, atol=1e-9)
    assert (probabilities >= 0.0).all()
    np.testing.assert_allclose(one[0], probabilities[0], rtol=1e-5, atol=1e-6)
    rebuilt = TriageModel.from_arrays(model.to_arrays())
    assert rebuilt.urgency.calibration == "cumulative"
    np.testing.assert_array_equal(rebuilt.predict_proba(texts)[1], model.predict_proba(texts)[1])


def test_arrays_round_trip(trained):
    # Given a trained model / When exported to arrays and rebuilt / Then it predicts the same
    rebuilt = TriageModel.from_arrays(trained.model.to_arrays())
    texts = [normalize("Dây điện bị đứt"), normalize("rac thai boc mui")]

    for before, after in zip(trained.model.predict_proba(texts), rebuilt.predict_proba(texts), strict=True):
        np.testing.assert_array_equal(before, after)
    assert rebuilt.category.labels == trained.model.category.labels
    assert rebuilt.urgency_policy == trained.model.urgency_policy


def _probabilities(labels, **values):
    row = np.zeros((1, len(labels)))
    for label, value in values.items():
        row[0, labels.index(label)] = value
    return row


def test_urgency_is_read_as_an_ordered_scale_with_an_unsure_band(trained):
    # given a policy: critical at 0.4, high at 0.5 (high or worse), normal at 0.5, unsure from 0.2
    model = dataclasses.replace(
        trained.model, urgency_policy=UrgencyPolicy(critical=0.4, high=0.5, normal=0.5, unsure=0.2)
    )
    labels = model.urgency.labels
    # critical above its threshold even when normal is the most likely
    assert model.decide_urgency(_probabilities(labels, critical=0.41, normal=0.59)) == [("critical", False)]
    # high or worse together reach 0.5: high, and unsure because P(critical) is in the band
    assert model.decide_urgency(_probabilities(labels, critical=0.25, high=0.3, normal=0.45)) == [("high", True)]
    # a small critical probability does not raise the level and is not unsure below the band
    assert model.decide_urgency(_probabilities(labels, critical=0.1, high=0.2, normal=0.7)) == [("normal", False)]
    assert model.decide_urgency(_probabilities(labels, low=0.6, normal=0.4)) == [("low", False)]


def test_one_report_path_equals_the_batch_path(trained):
    texts = [normalize(t) for t in ("Dây điện bị đứt", "rac thai boc mui", "", "zzz qqq", "Đèn đường hỏng !")]

    category_batch, urgency_batch = trained.model.predict_proba(texts)
    for row, text in enumerate(texts):
        category_one, urgency_one = trained.model.predict_proba([text])
        np.testing.assert_allclose(category_one[0], category_batch[row], rtol=1e-5, atol=1e-6)
        np.testing.assert_allclose(urgency_one[0], urgency_batch[row], rtol=1e-5, atol=1e-6)


def test_category_word_scale_is_folded_into_the_word_weights(fixture_rows):
    # Given the category head fitted with the word block doubled (TrainingConfig.category_word_scale)
    texts, char, word, reference = _fitted(fixture_rows)
    model = _model(char, word, _empty_head(), _empty_head())
    features = model.features(texts)
    n_char = len(char.vocabulary_)
    groups = [row.group or row.id for row in fixture_rows]
    config = TrainingConfig(category_word_scale=2.0)
    categories = [row.category for row in fixture_rows]
    head = _fit_category_head(features, n_char, categories, groups, config, 42, None)

    # When the exported head reads the unscaled features
    probabilities = head.probabilities(features)

    # Then it gives what the same calibrated SVM gives on features whose word block is doubled
    scale = np.ones(features.shape[1])
    scale[n_char:] = 2.0
    scaled = sp.csr_matrix(features @ sp.diags(scale))
    expected = head_from_calibrated_svm(_calibrated_svm(scaled, categories, groups, 0.5, config, 42, None))
    np.testing.assert_allclose(probabilities, expected.probabilities(scaled), rtol=1e-4, atol=1e-5)
    # and its char weights are the scaled fit's, its word weights twice theirs
    np.testing.assert_allclose(head.weights[:n_char], expected.weights[:n_char], rtol=1e-5, atol=1e-9)
    np.testing.assert_allclose(head.weights[n_char:], 2.0 * expected.weights[n_char:], rtol=1e-5, atol=1e-9)
