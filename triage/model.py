"""The trained triage model: TF-IDF features of the normalised text and two linear heads.

Training fits scikit-learn's ``TfidfVectorizer`` and a linear classifier per head (category, urgency);
what is kept afterwards is only arrays: the vocabularies, idf weights, weights, biases and calibration
parameters. They are stored in a plain ``.npz`` file that numpy reads with ``allow_pickle=False``, so
loading a model never executes code from the file, and prediction needs no scikit-learn object.

Prediction reimplements exactly what ``TfidfVectorizer.transform`` + ``predict_proba`` compute (sublinear
tf, smooth idf, l2 norm per feature block; softmax for logistic regression, per-class sigmoids
normalised to one for a calibrated linear SVM); tests/triage/test_model.py checks it against
scikit-learn. Doing it directly on arrays is several times faster than the scikit-learn objects for
one report, which matters on the request path.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Final, Literal

import numpy as np
import scipy.sparse as sp
from numpy.typing import NDArray

from triage.lexicon import concept_tokens

CHAR_NGRAM_RANGE: Final = (2, 5)
WORD_NGRAM_RANGE: Final = (1, 2)

Calibration = Literal["softmax", "sigmoid", "cumulative"]
FloatArray = NDArray[np.float32]


def word_char_ngrams(word: str) -> list[str]:
    """Character 2..5-grams of one word padded with spaces (" ngap " -> " n", "ng", ..., "gap ")."""
    padded = f" {word} "
    length = len(padded)
    grams: list[str] = []
    for size in range(CHAR_NGRAM_RANGE[0], CHAR_NGRAM_RANGE[1] + 1):
        grams.extend([padded[i : i + size] for i in range(length - size + 1)])
    return grams


def char_ngrams(text: str) -> list[str]:
    """Character n-grams of every word of the normalised text (word pairs are the word features' job)."""
    grams: list[str] = []
    for word in text.split():
        grams.extend(word_char_ngrams(word))
    return grams


def word_ngrams(text: str) -> list[str]:
    """Words, word pairs and bilingual concept tokens (``triage.lexicon``) of the normalised text."""
    words = text.split()
    pairs = [f"{first} {second}" for first, second in zip(words, words[1:], strict=False)]
    return words + pairs + concept_tokens(text)


MAX_CACHED_WORDS: Final = 200_000


def _char_count_matrix(
    texts: Sequence[str], vocabulary: Mapping[str, int], cache: dict[str, list[int]]
) -> sp.csr_matrix:
    # Reports reuse a small set of words (Vietnamese has a few thousand syllables), so each word's
    # n-gram ids are looked up once and cached: most of the cost of TF-IDF on one report goes away.
    lookup = vocabulary.get
    cached = cache.get
    indptr = [0]
    ids: list[int] = []
    extend = ids.extend
    for text in texts:
        for word in text.split():
            found = cached(word)
            if found is None:
                found = [index for index in map(lookup, word_char_ngrams(word)) if index is not None]
                if len(cache) < MAX_CACHED_WORDS:
                    cache[word] = found
            extend(found)
        indptr.append(len(ids))
    return _csr(ids, indptr, len(texts), len(vocabulary))


def _word_count_matrix(texts: Sequence[str], vocabulary: Mapping[str, int]) -> sp.csr_matrix:
    lookup = vocabulary.get
    indptr = [0]
    ids: list[int] = []
    for text in texts:
        ids.extend([index for index in map(lookup, word_ngrams(text)) if index is not None])
        indptr.append(len(ids))
    return _csr(ids, indptr, len(texts), len(vocabulary))


def _csr(ids: list[int], indptr: list[int], n_rows: int, n_columns: int) -> sp.csr_matrix:
    matrix = sp.csr_matrix(
        (
            np.ones(len(ids), dtype=np.float32),
            np.asarray(ids, dtype=np.int64),
            np.asarray(indptr, dtype=np.int64),
        ),
        shape=(n_rows, n_columns),
    )
    matrix.sum_duplicates()  # also sorts the indices
    return matrix


def _tfidf(counts: sp.csr_matrix, idf: FloatArray) -> sp.csr_matrix:
    counts.data = (np.log(counts.data) + 1.0).astype(np.float32)  # sublinear tf
    counts.data *= idf[counts.indices]
    squares = counts.multiply(counts).sum(axis=1).A1
    norms = np.sqrt(squares, dtype=np.float64)
    norms[norms == 0.0] = 1.0
    counts.data /= np.repeat(norms, np.diff(counts.indptr)).astype(np.float32)
    return counts


@dataclass(frozen=True, slots=True)
class Head:
    """One linear classifier over the shared features, with its probability calibration."""

    labels: tuple[str, ...]
    weights: FloatArray  # (n_features, n_labels)
    bias: FloatArray  # (n_labels,)
    calibration: Calibration
    sigmoid_a: FloatArray  # (n_labels,), only for "sigmoid" and "cumulative"
    sigmoid_b: FloatArray

    def probabilities(self, features: sp.csr_matrix) -> NDArray[np.float64]:
        return self.calibrate(np.asarray(features @ self.weights, dtype=np.float64) + self.bias)

    def calibrate(self, scores: NDArray[np.float64]) -> NDArray[np.float64]:
        """Probabilities from decision scores (rows: reports)."""
        if self.calibration == "cumulative":
            return self._cumulative(scores)
        if self.calibration == "softmax":
            scores -= scores.max(axis=1, keepdims=True)
            np.exp(scores, out=scores)
        else:
            scores = 1.0 / (1.0 + np.exp(scores * self.sigmoid_a + self.sigmoid_b))
        totals = scores.sum(axis=1, keepdims=True)
        uniform = totals[:, 0] == 0.0
        if uniform.any():
            scores[uniform] = 1.0
            totals[uniform] = len(self.labels)
        result: NDArray[np.float64] = scores / totals
        return result

    def _cumulative(self, scores: NDArray[np.float64]) -> NDArray[np.float64]:
        # An ordinal head (labels in rising order): column k >= 1 is a calibrated binary model of
        # P(level >= labels[k]); column 0 is unused (P(level >= lowest) is 1). Made non-increasing,
        # then differences give each level's probability, which sum to one.
        above = 1.0 / (1.0 + np.exp(scores[:, 1:] * self.sigmoid_a[1:] + self.sigmoid_b[1:]))
        above = np.minimum.accumulate(above, axis=1)
        bounds = np.concatenate([np.ones((len(scores), 1)), above, np.zeros((len(scores), 1))], axis=1)
        result: NDArray[np.float64] = bounds[:, :-1] - bounds[:, 1:]
        return result


@dataclass(frozen=True, slots=True)
class UrgencyPolicy:
    """Urgency as severity, read from the urgency head's probabilities as an ordered scale.

    critical when P(critical) >= ``critical``; else high when P(high or worse) >= ``high``; else normal
    when P(normal or worse) >= ``normal``; else low. Thresholds are chosen on validation data from the
    training corpus (out-of-fold predictions of the train split; ``triage.training.policy``), not set by
    hand. A report below the critical threshold but with P(critical) >= ``unsure`` keeps its urgency and
    is marked unsure: an operator looks at it instead of the model guessing a level up (issue 14).
    """

    critical: float = 0.5
    high: float = 0.5
    normal: float = 0.5
    unsure: float = 0.5

    def as_array(self) -> NDArray[np.float64]:
        return np.asarray([self.critical, self.high, self.normal, self.unsure], dtype=np.float64)

    @classmethod
    def from_array(cls, values: NDArray[np.generic]) -> UrgencyPolicy:
        critical, high, normal, unsure = (float(value) for value in np.asarray(values, dtype=np.float64))
        return cls(critical=critical, high=high, normal=normal, unsure=unsure)


@dataclass(frozen=True, slots=True)
class TriageModel:
    """Vocabularies, idf and the two heads; everything needed to predict, nothing else."""

    char_vocabulary: dict[str, int]
    char_idf: FloatArray
    word_vocabulary: dict[str, int]
    word_idf: FloatArray
    category: Head
    urgency: Head
    urgency_policy: UrgencyPolicy
    _char_ids: dict[str, list[int]] = field(default_factory=dict, compare=False, repr=False)

    def features(self, normalized_texts: Sequence[str]) -> sp.csr_matrix:
        """TF-IDF rows for already normalised (diacritics-free) texts."""
        char_block = _tfidf(
            _char_count_matrix(normalized_texts, self.char_vocabulary, self._char_ids), self.char_idf
        )
        word_block = _tfidf(_word_count_matrix(normalized_texts, self.word_vocabulary), self.word_idf)
        return sp.hstack([char_block, word_block], format="csr")

    def predict_proba(
        self, normalized_texts: Sequence[str]
    ) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
        """Category and urgency probabilities, one row per text, columns in each head's label order."""
        if len(normalized_texts) == 1:
            return self._predict_one(normalized_texts[0])
        features = self.features(normalized_texts)
        return self.category.probabilities(features), self.urgency.probabilities(features)

    def _predict_one(self, text: str) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
        # The same arithmetic as features() + probabilities(), on dense vectors: building sparse
        # matrices costs more than the whole computation for a single report (the request path).
        char_ids: list[int] = []
        cache = self._char_ids
        lookup = self.char_vocabulary.get
        for word in text.split():
            found = cache.get(word)
            if found is None:
                found = [index for gram in word_char_ngrams(word) if (index := lookup(gram)) is not None]
                if len(cache) < MAX_CACHED_WORDS:
                    cache[word] = found
            char_ids.extend(found)
        word_lookup = self.word_vocabulary.get
        word_ids = [index for gram in word_ngrams(text) if (index := word_lookup(gram)) is not None]
        offset = len(self.char_vocabulary)
        columns: list[NDArray[np.int64]] = []
        values: list[NDArray[np.float64]] = []
        for ids, idf, shift in ((char_ids, self.char_idf, 0), (word_ids, self.word_idf, offset)):
            if not ids:
                continue
            unique, counts = np.unique(np.asarray(ids, dtype=np.int64), return_counts=True)
            weights = (np.log(counts) + 1.0) * idf[unique].astype(np.float64)
            weights /= np.sqrt(np.dot(weights, weights))
            columns.append(unique + shift)
            values.append(weights)
        if not columns:
            return (
                self.category.calibrate(self.category.bias.astype(np.float64)[None, :]),
                self.urgency.calibrate(self.urgency.bias.astype(np.float64)[None, :]),
            )
        column = np.concatenate(columns)
        value = np.concatenate(values)
        return tuple(  # type: ignore[return-value]
            head.calibrate((value @ head.weights[column].astype(np.float64) + head.bias)[None, :])
            for head in (self.category, self.urgency)
        )

    def decide_urgency(self, urgency_probabilities: NDArray[np.float64]) -> list[tuple[str, bool]]:
        """The model's urgency per row and whether it is unsure (see ``UrgencyPolicy``)."""
        labels = self.urgency.labels
        policy = self.urgency_policy
        column = {label: labels.index(label) for label in labels}
        decided: list[tuple[str, bool]] = []
        for row in urgency_probabilities:
            critical = float(row[column["critical"]]) if "critical" in column else 0.0
            high = critical + (float(row[column["high"]]) if "high" in column else 0.0)
            low = float(row[column["low"]]) if "low" in column else 0.0
            if critical >= policy.critical:
                decided.append(("critical", False))
                continue
            if high >= policy.high:
                urgency = "high"
            elif 1.0 - low >= policy.normal:
                urgency = "normal"
            else:
                urgency = "low"
            decided.append((urgency, critical >= policy.unsure))
        return decided

    @property
    def n_features(self) -> int:
        return len(self.char_vocabulary) + len(self.word_vocabulary)

    def to_arrays(self) -> dict[str, NDArray[np.generic]]:
        """Everything as plain arrays (no Python objects), for ``numpy.savez_compressed``."""
        arrays: dict[str, NDArray[np.generic]] = {
            "char_vocabulary": _vocabulary_array(self.char_vocabulary),
            "char_idf": self.char_idf,
            "word_vocabulary": _vocabulary_array(self.word_vocabulary),
            "word_idf": self.word_idf,
            "urgency_policy": self.urgency_policy.as_array(),
        }
        for name, head in (("category", self.category), ("urgency", self.urgency)):
            arrays[f"{name}_labels"] = np.asarray(head.labels, dtype=str)
            arrays[f"{name}_weights"] = head.weights
            arrays[f"{name}_bias"] = head.bias
            arrays[f"{name}_calibration"] = np.asarray(head.calibration, dtype=str)
            arrays[f"{name}_sigmoid_a"] = head.sigmoid_a
            arrays[f"{name}_sigmoid_b"] = head.sigmoid_b
        return arrays

    @classmethod
    def from_arrays(cls, arrays: Mapping[str, NDArray[np.generic]]) -> TriageModel:
        """The inverse of ``to_arrays``; raises KeyError/ValueError on a malformed file."""

        def head(name: str) -> Head:
            calibration = str(arrays[f"{name}_calibration"])
            if calibration not in ("softmax", "sigmoid", "cumulative"):
                raise ValueError(f"unknown calibration {calibration!r} for the {name} head")
            labels = tuple(str(label) for label in arrays[f"{name}_labels"].tolist())
            weights = np.ascontiguousarray(arrays[f"{name}_weights"], dtype=np.float32)
            if weights.shape != (n_features, len(labels)):
                raise ValueError(
                    f"{name} weights have shape {weights.shape}, expected {(n_features, len(labels))}"
                )
            return Head(
                labels=labels,
                weights=weights,
                bias=np.asarray(arrays[f"{name}_bias"], dtype=np.float32),
                calibration="softmax" if calibration == "softmax" else "sigmoid" if calibration == "sigmoid" else "cumulative",
                sigmoid_a=np.asarray(arrays[f"{name}_sigmoid_a"], dtype=np.float32),
                sigmoid_b=np.asarray(arrays[f"{name}_sigmoid_b"], dtype=np.float32),
            )

        char_vocabulary = _vocabulary_dict(arrays["char_vocabulary"])
        word_vocabulary = _vocabulary_dict(arrays["word_vocabulary"])
        n_features = len(char_vocabulary) + len(word_vocabulary)
        return cls(
            char_vocabulary=char_vocabulary,
            char_idf=np.asarray(arrays["char_idf"], dtype=np.float32),
            word_vocabulary=word_vocabulary,
            word_idf=np.asarray(arrays["word_idf"], dtype=np.float32),
            category=head("category"),
            urgency=head("urgency"),
            urgency_policy=UrgencyPolicy.from_array(arrays["urgency_policy"]),
        )


def _vocabulary_array(vocabulary: Mapping[str, int]) -> NDArray[np.str_]:
    terms = [""] * len(vocabulary)
    for term, index in vocabulary.items():
        terms[index] = term
    return np.asarray(terms, dtype=str)


def _vocabulary_dict(terms: Iterable[object] | NDArray[np.generic]) -> dict[str, int]:
    values = terms.tolist() if isinstance(terms, np.ndarray) else list(terms)
    return {str(term): index for index, term in enumerate(values)}
