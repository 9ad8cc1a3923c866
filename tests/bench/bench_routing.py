"""Routing benchmark: decide() latency and point-in-ward throughput on the 40 real wards of Huế.

Run:  .venv/bin/python tests/bench/bench_routing.py [--n 20000] [--seed 46]

Each figure is printed beside a baseline measured in the same run on the same machine, so the ratio
means something on any machine:
- decide() p50/p99 with 1,000 rules vs a bare dict lookup (the least any routing could cost) and vs
  one bare prepared-polygon `contains` (the least any point-in-ward could cost);
- locate() throughput vs one prepared polygon's `contains_xy` and vs the plain STRtree path.
Reads the wards from the shared data folder (SHARED_DATA_DIR, default ../shared/data).
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

REPO_ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO_ROOT))

import shapely  # noqa: E402

from routing.deadlines import DEFAULT_CALENDAR, PolicyTable  # noqa: E402
from routing.decide import RuleSet, decide  # noqa: E402
from routing.geo import WardIndex  # noqa: E402
from routing.types import URGENCIES, DeadlinePolicy, Point, Rule  # noqa: E402
from triage.taxonomy import CATEGORIES as TAXONOMY_CATEGORIES  # noqa: E402

SHARED_DATA_DIR = Path(os.environ.get("SHARED_DATA_DIR", REPO_ROOT / ".." / "shared" / "data")).resolve()
WARDS = SHARED_DATA_DIR / "geo" / "hue_wards_communes_2025.geojson"
CATEGORIES = list(TAXONOMY_CATEGORIES)
NOW = datetime(2026, 11, 20, 16, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))


def make_rules(ward_codes: list[str], n: int, rng: random.Random) -> list[Rule]:
    """1,000 rules shaped like a city's: mostly category x ward(s), some urgency-specific, some off."""
    rules = []
    for i in range(n):
        rules.append(
            Rule(
                id=i + 1,
                order=rng.randrange(10_000),
                category=rng.choice([None] * 1 + CATEGORIES * 3),
                area_codes=frozenset(rng.sample(ward_codes, rng.choice([0, 1, 1, 1, 2, 3]))),
                urgencies=frozenset(rng.sample(URGENCIES, rng.choice([0, 0, 0, 1, 2]))),
                agency_code=f"agency-{i % 60}",
                active=rng.random() > 0.05,
            )
        )
    return rules


def sample_points(index: WardIndex, n: int, rng: random.Random) -> list[Point]:
    """Points where reports come from: 70% in the dense city centre, 30% anywhere in the province."""
    minx, miny, maxx, maxy = shapely.total_bounds([w.geometry for w in index.wards])
    points = []
    for _ in range(n):
        if rng.random() < 0.7:
            points.append(Point(rng.uniform(16.44, 16.50), rng.uniform(107.55, 107.62)))
        else:
            points.append(Point(rng.uniform(miny, maxy), rng.uniform(minx, maxx)))
    return points


def per_call_ns(fn: Callable[[int], object], n: int) -> list[int]:
    clock = time.perf_counter_ns
    out = []
    for i in range(n):
        t0 = clock()
        fn(i)
        out.append(clock() - t0)
    return out


def pct(values: list[int], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] / 1000.0  # microseconds


def throughput(fn: Callable[[int], object], n: int) -> float:
    t0 = time.perf_counter()
    for i in range(n):
        fn(i)
    return n / (time.perf_counter() - t0)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--n", type=int, default=20_000, help="calls per measurement")
    parser.add_argument("--rules", type=int, default=1_000)
    parser.add_argument("--seed", type=int, default=46)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    n = args.n

    t0 = time.perf_counter()
    index = WardIndex.from_geojson(WARDS)
    build_s = time.perf_counter() - t0
    codes = [w.code for w in index.wards]
    rules = make_rules(codes, args.rules, rng)
    t0 = time.perf_counter()
    ruleset = RuleSet.compile(rules)
    compile_ms = (time.perf_counter() - t0) * 1000
    policies = PolicyTable([DeadlinePolicy("drainage_flooding", "high", 8, "working_hours")])
    defaults = {c: f"default-{c}" for c in CATEGORIES[:-1]}
    points = sample_points(index, n, rng)
    cats = [rng.choice(CATEGORIES) for _ in range(n)]
    urgs = [rng.choice(URGENCIES) for _ in range(n)]

    print(f"python {sys.version.split()[0]}, shapely {shapely.__version__}, one core")
    print(
        f"wards: {len(index.wards)} from {WARDS.name}; index built in {build_s * 1000:.0f} ms "
        f"(read + validate + STRtree + grid); {len(rules)} rules ({len(ruleset)} active) "
        f"compiled in {compile_ms:.1f} ms"
    )

    def run_decide(i: int) -> object:
        return decide(
            cats[i],
            urgs[i],
            points[i],
            rules=ruleset,
            ward_index=index,
            default_agency_by_category=defaults,
            policies=policies,
            calendar=DEFAULT_CALENDAR,
            now=NOW,
        )

    # Baselines: the cheapest possible "routing" (a dict lookup) and one bare point-in-polygon test.
    one_ward = next(w.geometry for w in index.wards if w.code == "phu-xuan")
    shapely.prepare(one_ward)
    shp_points = [shapely.Point(p.lon, p.lat) for p in points]

    def run_dict(i: int) -> object:
        return defaults.get(cats[i])

    def run_contains(i: int) -> object:
        return one_ward.contains(shapely.Point(points[i].lon, points[i].lat))

    # Warm up (first calls fill the rule memo and the holiday cache).
    for i in range(min(n, 2000)):
        run_decide(i)

    rows = [
        ("decide() with 1,000 rules", per_call_ns(run_decide, n)),
        ("baseline: bare dict lookup", per_call_ns(run_dict, n)),
        ("baseline: one prepared contains (+Point)", per_call_ns(run_contains, n)),
    ]
    print(f"\nlatency per call, {n:,} calls (perf_counter_ns around each call, timer overhead included)")
    print(f"{'':42s} {'p50 us':>9s} {'p99 us':>9s} {'mean us':>9s}")
    for label, samples in rows:
        print(
            f"{label:42s} {pct(samples, 0.5):9.2f} {pct(samples, 0.99):9.2f} {statistics.fmean(samples) / 1000:9.2f}"
        )
    d50, d99 = pct(rows[0][1], 0.5), pct(rows[0][1], 0.99)
    print(
        f"ratios: decide p50 = {d50 / pct(rows[1][1], 0.5):.0f}x dict lookup, "
        f"{d50 / pct(rows[2][1], 0.5):.1f}x one contains; "
        f"p99 = {d99 / pct(rows[2][1], 0.99):.1f}x one contains p99"
    )

    # Uncompiled rules: what decide() costs if a caller passes the raw list every time.
    raw = per_call_ns(
        lambda i: decide(
            cats[i],
            urgs[i],
            points[i],
            rules=rules,
            ward_index=index,
            default_agency_by_category=defaults,
            now=NOW,
        ),
        min(n, 2000),
    )
    print(
        f"decide() with the raw rule list (compiled per call): p50 {pct(raw, 0.5):.0f} us "
        f"= {pct(raw, 0.5) / d50:.0f}x the compiled RuleSet"
    )

    # Deadline alone (the working-time walk), to see its share of decide().
    wd = per_call_ns(lambda i: DEFAULT_CALENDAR.due_at(NOW, 7, "working_days"), n)
    print(f"due_at(7 working days) alone: p50 {pct(wd, 0.5):.2f} us, p99 {pct(wd, 0.99):.2f} us")

    # Throughput of point-in-ward.
    print(f"\npoint-in-ward throughput, {n:,} points (70% city centre, 30% whole province), one core")
    locate = index.locate
    reference = index.locate_reference
    tp = [
        ("WardIndex.locate (grid + prepared)", throughput(lambda i: locate(points[i]), n)),
        ("WardIndex.locate_reference (STRtree only)", throughput(lambda i: reference(points[i]), n)),
        (
            "baseline: one prepared contains_xy",
            throughput(lambda i: shapely.contains_xy(one_ward, points[i].lon, points[i].lat), n),
        ),
        ("baseline: one prepared contains(Point)", throughput(lambda i: one_ward.contains(shp_points[i]), n)),
    ]
    for label, rate in tp:
        print(f"{label:44s} {rate:12,.0f} lookups/s")
    print(
        f"ratios: locate = {tp[0][1] / tp[1][1]:.1f}x the STRtree path, "
        f"{tp[0][1] / tp[2][1]:.1f}x one contains_xy, {tp[0][1] / tp[3][1]:.2f}x one contains(Point)"
    )
    found = sum(locate(p) is not None for p in points)
    print(f"points inside a ward: {found:,} of {n:,}")


if __name__ == "__main__":
    main()
