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


def time_each(function, items, clock=time.perf_counter) -> list[float]:  # type: ignore[no-untyped-def]
    samples = []
    for item in items:
        started = clock()
        function(item)
        samples.append(clock() - started)
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


def record(version: str, figures: dict) -> None:  # type: ignore[type-arg]
    from triage import artifacts
    from triage.training.report import write_model_card

    version_dir = artifacts.models_root() / version
    metrics = artifacts.read_json(version_dir / artifacts.METRICS_FILE)
    metrics["latency"] = figures
    artifacts.write_json(version_dir / artifacts.METRICS_FILE, metrics)
    write_model_card(version_dir, metrics)
    print(f"recorded in {version_dir / artifacts.METRICS_FILE} and {artifacts.CARD_FILE}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=2000, help="reports for the one-at-a-time timings")
    parser.add_argument("--batch", type=int, default=20000, help="reports for the throughput timing")
    parser.add_argument("--repeat", type=int, default=3, help="throughput runs (best is reported)")
    parser.add_argument(
        "--record", action="store_true", help="store the figures in the active model's metrics.json and card"
    )
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

    # Wall time is what a caller waits; CPU time (time.thread_time) is the work itself and stays
    # meaningful when other processes compete for the cores (see the load average printed above).
    def single(clock):  # type: ignore[no-untyped-def]
        return (
            time_each(triage.classify, singles, clock),
            time_each(lambda text: model.predict_proba([text]), normalized_singles, clock),
            time_each(
                lambda text: reference([text]), normalized_singles[: max(200, args.reports // 4)], clock
            ),
        )

    full, bare, bare_sklearn = single(time.perf_counter)
    full_cpu, bare_cpu, bare_sklearn_cpu = single(time.thread_time)

    def best_rate(function, items, clock=time.perf_counter) -> float:  # type: ignore[no-untyped-def]
        best = float("inf")
        for _ in range(args.repeat):
            started = clock()
            function(items)
            best = min(best, clock() - started)
        return len(items) / best

    rate_full = best_rate(triage.classify_batch, batch)
    rate_bare = best_rate(model.predict_proba, normalized_batch)
    rate_sklearn = best_rate(reference, normalized_batch)
    rate_normalize = best_rate(lambda items: [normalize(t) for t in items], batch)
    rate_full_cpu = best_rate(triage.classify_batch, batch, time.process_time)
    rate_bare_cpu = best_rate(model.predict_proba, normalized_batch, time.process_time)

    mean_chars = statistics.mean(len(text) for text in batch)
    print(
        f"model {loaded.version}: {model.n_features} features; {len(batch)} reports, mean {mean_chars:.0f} chars"
    )
    print(f"cpu: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f}")
    print()
    print("one report at a time                 wall p50  wall p99   cpu p50   cpu p99  (ms)")
    for name, samples, cpu in (
        ("classify() (normalise+rules+model)", full, full_cpu),
        ("bare: model features+predict", bare, bare_cpu),
        ("bare: scikit-learn transform+predict", bare_sklearn, bare_sklearn_cpu),
    ):
        print(
            f"  {name:<36}{percentile(samples, 50) * 1e3:8.3f}  {percentile(samples, 99) * 1e3:8.3f}"
            f"  {percentile(cpu, 50) * 1e3:8.3f}  {percentile(cpu, 99) * 1e3:8.3f}"
        )
    print(
        f"  ratio classify/bare p50 {percentile(full, 50) / percentile(bare, 50):.2f}, "
        f"classify/scikit-learn p50 {percentile(full, 50) / percentile(bare_sklearn, 50):.2f}"
    )
    print()
    print("batch throughput                        reports/s (wall)   reports/s (cpu)")
    for name, rate, rate_cpu in (
        ("classify_batch()", rate_full, rate_full_cpu),
        ("bare: model features+predict", rate_bare, rate_bare_cpu),
        ("bare: scikit-learn transform+predict", rate_sklearn, None),
        ("normalisation alone", rate_normalize, None),
    ):
        cpu_text = f"{rate_cpu:17,.0f}" if rate_cpu is not None else ""
        print(f"  {name:<36}{rate:18,.0f}{cpu_text}")
    print(
        f"  ratio bare/classify_batch {rate_bare / rate_full:.2f}, "
        f"scikit-learn/classify_batch {rate_sklearn / rate_full:.2f}"
    )
    print()
    print(
        f"goals (wall): p99 <= 5 ms {'met' if percentile(full, 99) <= 0.005 else 'NOT met'}; "
        f">= 5,000 reports/s {'met' if rate_full >= 5000 else 'NOT met'}"
    )
    print(
        f"goals (cpu):  p99 <= 5 ms {'met' if percentile(full_cpu, 99) <= 0.005 else 'NOT met'}; "
        f">= 5,000 reports/s {'met' if rate_full_cpu >= 5000 else 'NOT met'}"
    )
    print(f"load average after the run: {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")
    if args.record:
        record(
            loaded.version,
            {
                "command": "python tests/bench/bench_triage.py --record",
                "cores": os.cpu_count(),
                "load_average": round(os.getloadavg()[0], 2),
                "classify_ms": {
                    "wall_p50": round(percentile(full, 50) * 1e3, 3),
                    "wall_p99": round(percentile(full, 99) * 1e3, 3),
                    "cpu_p50": round(percentile(full_cpu, 50) * 1e3, 3),
                    "cpu_p99": round(percentile(full_cpu, 99) * 1e3, 3),
                },
                "bare_model_ms": {
                    "wall_p50": round(percentile(bare, 50) * 1e3, 3),
                    "cpu_p99": round(percentile(bare_cpu, 99) * 1e3, 3),
                },
                "scikit_learn_ms": {"wall_p50": round(percentile(bare_sklearn, 50) * 1e3, 3)},
                "batch_reports_per_second": {
                    "classify_batch_wall": round(rate_full),
                    "classify_batch_cpu": round(rate_full_cpu),
                    "bare_model_wall": round(rate_bare),
                    "scikit_learn_wall": round(rate_sklearn),
                },
            },
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
