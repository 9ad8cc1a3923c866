"""Triage latency and throughput, beside the bare vectorizer + predict cost measured in the same run.

Run: .venv/bin/python tests/bench/bench_triage.py [--reports N] [--repeat N]

Measures, on the committed (active) model and a mix of real-looking reports from triage/data:
- classify(): one report at a time, p50/p99 (goal p99 <= 5 ms, safety rules included);
- classify_batch(): reports per second (goal >= 5,000/s);
- the bare cost: the model's vectorizer + predict on already normalised text, one at a time and
  batched, and the same with scikit-learn's own TfidfVectorizer.transform + predict_proba rebuilt from
  the model's arrays, so the ratios show what normalisation and the rules add on top.
"""

from __future__ import annotations

import argparse
import csv
import os
import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import triage  # noqa: E402
from triage.model import TriageModel, char_ngrams, word_ngrams  # noqa: E402
from triage.normalize import normalize  # noqa: E402

DATA = Path(__file__).resolve().parents[2] / "triage" / "data" / "reports.csv"
FALLBACK_TEXTS = [
    "Dây điện bị đứt rơi xuống đường Lê Lợi, rất nguy hiểm",
    "rac thai chat dong o dau kiet 12 boc mui hoi thoi ca tuan nay",
    "Đèn đường ở kiệt ni không sáng rứa răng không ai sửa",
    "The street lights on Hung Vuong have been out for a week, very dark for kids",
    "Hát karaoke ầm ĩ tới 1h sáng, mn ko ngủ đc",
]


def load_texts(limit: int) -> list[str]:
    if DATA.is_file():
        with DATA.open(encoding="utf-8", newline="") as handle:
            texts = [row["text"] for row in csv.DictReader(handle)]
    else:
        texts = list(FALLBACK_TEXTS)
    while len(texts) < limit:
        texts += texts
    return texts[:limit]


def percentile(samples: list[float], q: float) -> float:
    return float(np.percentile(np.asarray(samples), q))


def time_each(function, items) -> list[float]:  # type: ignore[no-untyped-def]
    samples = []
    for item in items:
        started = time.perf_counter()
        function(item)
        samples.append(time.perf_counter() - started)
    return samples


def sklearn_reference(model: TriageModel):  # type: ignore[no-untyped-def]
    """scikit-learn's TfidfVectorizer with the model's vocabulary and idf, for the 'bare' comparison."""
    import scipy.sparse as sp
    from sklearn.feature_extraction.text import TfidfVectorizer

    vectorizers = []
    for vocabulary, idf, analyzer in (
        (model.char_vocabulary, model.char_idf, char_ngrams),
        (model.word_vocabulary, model.word_idf, word_ngrams),
    ):
        vectorizer = TfidfVectorizer(
            analyzer=analyzer, vocabulary=vocabulary, sublinear_tf=True, dtype=np.float32
        )
        vectorizer.fit(["x"])  # sets up the vocabulary; idf is replaced below
        vectorizer.idf_ = idf.astype(np.float64)
        vectorizers.append(vectorizer)

    def predict(texts: list[str]):  # type: ignore[no-untyped-def]
        features = sp.hstack([v.transform(texts) for v in vectorizers], format="csr")
        return model.category.probabilities(features), model.urgency.probabilities(features)

    return predict


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=2000, help="reports for the one-at-a-time timings")
    parser.add_argument("--batch", type=int, default=20000, help="reports for the throughput timing")
    parser.add_argument("--repeat", type=int, default=3, help="throughput runs (best is reported)")
    args = parser.parse_args()

    loaded = triage.get_model()  # fails loudly if there is no committed model
    model = loaded.model
    singles = load_texts(args.reports)
    batch = load_texts(args.batch)
    normalized_singles = [normalize(text) for text in singles]
    normalized_batch = [normalize(text) for text in batch]
    reference = sklearn_reference(model)

    for text in singles[:200]:  # warm up caches, regexes, numpy
        triage.classify(text)

    full = time_each(triage.classify, singles)
    bare = time_each(lambda text: model.predict_proba([text]), normalized_singles)
    bare_sklearn = time_each(
        lambda text: reference([text]), normalized_singles[: max(200, args.reports // 4)]
    )

    def best_rate(function, items) -> float:  # type: ignore[no-untyped-def]
        best = float("inf")
        for _ in range(args.repeat):
            started = time.perf_counter()
            function(items)
            best = min(best, time.perf_counter() - started)
        return len(items) / best

    rate_full = best_rate(triage.classify_batch, batch)
    rate_bare = best_rate(model.predict_proba, normalized_batch)
    rate_sklearn = best_rate(reference, normalized_batch)
    rate_normalize = best_rate(lambda items: [normalize(t) for t in items], batch)

    mean_chars = statistics.mean(len(text) for text in batch)
    print(
        f"model {loaded.version}: {model.n_features} features; {len(batch)} reports, mean {mean_chars:.0f} chars"
    )
    print(f"cpu: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f}")
    print()
    print("one report at a time            p50 ms   p99 ms   (goal: classify p99 <= 5 ms)")
    for name, samples in (
        ("classify() (normalise+rules+model)", full),
        ("bare: model features+predict", bare),
        ("bare: scikit-learn transform+predict", bare_sklearn),
    ):
        print(f"  {name:<36}{percentile(samples, 50) * 1e3:7.3f}  {percentile(samples, 99) * 1e3:7.3f}")
    print(
        f"  ratio classify/bare p50 {percentile(full, 50) / percentile(bare, 50):.2f}, "
        f"classify/scikit-learn p50 {percentile(full, 50) / percentile(bare_sklearn, 50):.2f}"
    )
    print()
    print("batch throughput                 reports/s   (goal: classify_batch >= 5,000/s)")
    for name, rate in (
        ("classify_batch()", rate_full),
        ("bare: model features+predict", rate_bare),
        ("bare: scikit-learn transform+predict", rate_sklearn),
        ("normalisation alone", rate_normalize),
    ):
        print(f"  {name:<36}{rate:10,.0f}")
    print(
        f"  ratio bare/classify_batch {rate_bare / rate_full:.2f}, scikit-learn/classify_batch {rate_sklearn / rate_full:.2f}"
    )
    p99_ok = percentile(full, 99) <= 0.005
    rate_ok = rate_full >= 5000
    print()
    print(
        f"goals: p99 <= 5 ms {'met' if p99_ok else 'NOT met'}; >= 5,000 reports/s {'met' if rate_ok else 'NOT met'}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
