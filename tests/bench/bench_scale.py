"""Query latency at city scale: bulk-generated reports, then every list and lookup through the real API.

Run (a throwaway database; never `hue`):
    .venv/bin/python tests/bench/bench_scale.py --reports 1000000                 # PostgreSQL
    .venv/bin/python tests/bench/bench_scale.py --reports 10000000 --keep         # and keep it for EXPLAIN
    .venv/bin/python tests/bench/bench_scale.py --reports 1000000 --sqlite        # the embedded default
        [--database-url postgres://hue:hue@127.0.0.1:5432/hue_scale] [--runs 30] [--explain]

Reports are spread over two years, all wards, categories, agencies and states, one citizen per ~50
reports, each with an idempotency key. Every endpoint is called --runs times in process (Django test
client: the view, its queries and serialisation, no network) and p50/p99 are printed against the
goals of issue 11 (p99 <= 50 ms per query page, idempotency lookup p99 <= 5 ms). --explain prints
the plan of the slowest statement of each endpoint.
"""

from __future__ import annotations

import argparse
import gc
import os
import sqlite3
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.bench._server import base_env, prepare, recreate_postgres_database  # noqa: E402

STATUSES = ["submitted", "triaged", "needs_review", "assigned", "accepted", "in_progress", "resolved",
            "closed", "closed", "closed", "closed", "closed", "rejected", "returned", "merged", "reopened"]
URGENCIES = ["critical", "high", "normal", "normal", "normal", "low"]
RANKS = [0, 1, 2, 2, 2, 3]  # models.rank_of of each (the column save() writes; bulk SQL writes it here)
DONE = {"resolved", "closed"}

PG_FILL = """
INSERT INTO accounts_user (password, is_superuser, username, first_name, last_name, email, is_staff, is_active,
                           date_joined, phone, role)
SELECT '', false, 'bulk:' || g, '', '', '', false, true, now(), '+8491' || lpad(g::text, 7, '0'), 'citizen'
FROM generate_series(1, %(users)s) g;

INSERT INTO reports_report (tracking_code, reporter_id, anonymous, description, latitude, longitude, status,
    category_id, urgency, predicted_category, predicted_urgency, triage_confidence, triage_model_version,
    triage_rules, triage_scores, area_id, agency_id, due_at, routing_reason, needs_review_reasons,
    me_too_count, reopened_count, created_at, updated_at, resolved_at, closed_at, rating_comment, sensitive,
    search_text, urgency_rank, rating_stars)
SELECT 'B' || lpad(to_hex(g), 11, '0'),
       (SELECT min(id) FROM accounts_user WHERE username LIKE 'bulk:%%') + (g %% %(users)s),
       g %% 10 = 0,
       'Phản ánh số ' || g || ': ổ gà, rác, đèn đường, ngập nước trên đường Lê Lợi',
       16.40 + (g %% 1000) / 10000.0, 107.55 + (g %% 997) / 10000.0,
       (%(statuses)s::text[])[1 + g %% %(n_statuses)s],
       cats[1 + g %% array_length(cats, 1)],
       (%(urgencies)s::text[])[1 + g %% %(n_urgencies)s],
       '', '', 0.9, 'bulk', '[]', '{}',
       areas[1 + g %% array_length(areas, 1)],
       agencies[1 + g %% array_length(agencies, 1)],
       now() - make_interval(secs => (g::float / %(reports)s) * 63072000) + interval '3 days',
       '', '[]', 0, 0,
       now() - make_interval(secs => (1 - g::float / %(reports)s) * 63072000),
       now() - make_interval(secs => (1 - g::float / %(reports)s) * 63072000),
       CASE WHEN (%(statuses)s::text[])[1 + g %% %(n_statuses)s] IN ('resolved', 'closed')
            THEN least(now(), now() - make_interval(secs => (1 - g::float / %(reports)s) * 63072000)
                              + make_interval(hours => 1 + g %% 120)) END,
       CASE WHEN (%(statuses)s::text[])[1 + g %% %(n_statuses)s] = 'closed'
            THEN least(now(), now() - make_interval(secs => (1 - g::float / %(reports)s) * 63072000)
                              + make_interval(hours => 1 + g %% 120)) END,
       '', false, 'phan anh so ' || g || ': o ga, rac, den duong, ngap nuoc tren duong le loi',
       (%(ranks)s::int[])[1 + g %% %(n_urgencies)s],
       CASE WHEN (%(statuses)s::text[])[1 + g %% %(n_statuses)s] = 'closed' AND g %% 3 = 0 THEN 1 + g %% 5 END
FROM generate_series(1, %(reports)s) g,
     (SELECT array_agg(id) AS cats FROM routing_category) c,
     (SELECT array_agg(id) AS areas FROM routing_area) a,
     (SELECT array_agg(id) AS agencies FROM routing_agency) ag;

INSERT INTO reports_idempotencykey (user_id, key, request_hash, report_id, created_at)
SELECT reporter_id, md5(id::text), '', id, created_at FROM reports_report WHERE tracking_code LIKE 'B%%';
ANALYZE
"""


def fill_postgres(url: str, reports: int) -> None:
    import psycopg

    users = max(1, reports // 50)
    params = {"users": users, "reports": reports, "statuses": STATUSES, "n_statuses": len(STATUSES),
              "urgencies": URGENCIES, "n_urgencies": len(URGENCIES), "ranks": RANKS}
    with psycopg.connect(url, autocommit=True) as conn:
        # A bulk load as an operator would run it: the figures' triggers off (replica role), the
        # aggregate rebuilt once afterwards (figures.rebuild, timed in main()).
        conn.execute("SET session_replication_role = replica")
        conn.execute("SET maintenance_work_mem = '1GB'")
        # and the reports' secondary indexes built once after the rows, not maintained row by row
        secondary = conn.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'reports_report' AND indexname NOT IN "
            "(SELECT conname FROM pg_constraint WHERE conrelid = 'reports_report'::regclass)"
        ).fetchall()
        for name, _ in secondary:
            conn.execute(f'DROP INDEX "{name}"')
        for statement in filter(str.strip, PG_FILL.split(";\n")):
            if statement.strip() == "ANALYZE":
                for _, definition in secondary:
                    conn.execute(definition)
            conn.execute(statement, params if "%(" in statement else None, prepare=False)


def fill_sqlite(path: str, reports: int) -> None:
    users = max(1, reports // 50)
    db = sqlite3.connect(path)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA cache_size=-262144")  # 256 MB for the index builds
    # As for PostgreSQL: a bulk load with the figures' triggers off and the secondary indexes built
    # once after the rows (figures.rebuild() in main()); row by row they took most of an hour here.
    deferred = db.execute(
        "SELECT type, name, sql FROM sqlite_master WHERE tbl_name = 'reports_report' AND sql IS NOT NULL "
        "AND type IN ('index', 'trigger')"
    ).fetchall()
    for kind, name, _ in deferred:
        db.execute(f'DROP {kind.upper()} "{name}"')
    db.executescript(f"""
        INSERT INTO accounts_user (password, is_superuser, username, first_name, last_name, email, is_staff,
                                   is_active, date_joined, phone, role)
        WITH RECURSIVE g(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM g WHERE n < {users})
        SELECT '', 0, 'bulk:' || n, '', '', '', 0, 1, datetime('now'), '+8491' || printf('%07d', n), 'citizen' FROM g;
    """)
    first_user = db.execute("SELECT min(id) FROM accounts_user WHERE username LIKE 'bulk:%'").fetchone()[0]
    cats = [r[0] for r in db.execute("SELECT id FROM routing_category")]
    areas = [r[0] for r in db.execute("SELECT id FROM routing_area")]
    agencies = [r[0] for r in db.execute("SELECT id FROM routing_agency")]
    now = time.time()

    def rows(start: int, stop: int):
        for g in range(start, stop):
            created = now - (1 - g / reports) * 63072000
            stamp = time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(created))
            due = time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(created + 3 * 86400))
            status = STATUSES[g % len(STATUSES)]
            resolved = (time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(min(now, created + (1 + g % 120) * 3600)))
                        if status in DONE else None)
            yield (f"B{g:011x}", first_user + g % users, int(g % 10 == 0),
                   f"Phản ánh số {g}: ổ gà, rác, đèn đường, ngập nước trên đường Lê Lợi",
                   16.40 + (g % 1000) / 10000, 107.55 + (g % 997) / 10000, status,
                   cats[g % len(cats)], URGENCIES[g % len(URGENCIES)], "", "", 0.9, "bulk", "[]", "{}",
                   areas[g % len(areas)], agencies[g % len(agencies)], due, "", "[]", 0, 0, stamp, stamp, "", 0,
                   f"phan anh so {g}: o ga, rac, den duong, ngap nuoc tren duong le loi",
                   RANKS[g % len(URGENCIES)], resolved, resolved if status == "closed" else None,
                   1 + g % 5 if status == "closed" and g % 3 == 0 else None)

    batch = 100_000
    for start in range(1, reports + 1, batch):
        db.executemany(
            "INSERT INTO reports_report (tracking_code, reporter_id, anonymous, description, latitude, longitude, "
            "status, category_id, urgency, predicted_category, predicted_urgency, triage_confidence, "
            "triage_model_version, triage_rules, triage_scores, area_id, agency_id, due_at, routing_reason, "
            "needs_review_reasons, me_too_count, reopened_count, created_at, updated_at, rating_comment, sensitive, "
            "search_text, urgency_rank, resolved_at, closed_at, rating_stars) "
            "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", rows(start, min(start + batch, reports + 1)))
        db.commit()
    for _, _, definition in deferred:
        db.execute(definition)
    db.commit()
    db.execute("INSERT INTO reports_idempotencykey (user_id, key, request_hash, report_id, created_at) "
               "SELECT reporter_id, hex(id), '', id, created_at FROM reports_report WHERE tracking_code LIKE 'B%'")
    db.commit()
    db.execute("ANALYZE")
    db.close()


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--reports", type=int, default=1_000_000)
    parser.add_argument("--sqlite", action="store_true")
    parser.add_argument("--database-url", default="postgres://hue:hue@127.0.0.1:5432/hue_scale")
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--explain", action="store_true")
    parser.add_argument("--skip", action="append", default=[], help="leave out endpoints whose name contains this")
    parser.add_argument("--gc-freeze", action="store_true",
                        help="once warm, tune the collector as every ASGI server does (realtime.process.tune_gc)")
    parser.add_argument("--reuse", action="store_true", help="the database is already filled (same --reports)")
    args = parser.parse_args()
    var = tempfile.mkdtemp(prefix="hue-scale-")
    extra = {} if args.sqlite else {"DATABASE_URL": args.database_url}
    env = base_env(var, extra)
    started = time.perf_counter()
    if not args.reuse:
        if not args.sqlite:
            recreate_postgres_database(args.database_url)
        prepare(env)
        if args.sqlite:
            fill_sqlite(str(Path(var) / "db.sqlite3"), args.reports)
        else:
            fill_postgres(args.database_url, args.reports)
    print(f"{'sqlite' if args.sqlite else 'postgresql'}: {args.reports:,} reports ready in "
          f"{time.perf_counter() - started:.0f} s")
    os.environ.update(env)
    import django

    django.setup()
    import django.db.models
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from rest_framework.test import APIClient

    from backend.accounts.models import User
    from backend.accounts.services import user_ensure
    from backend.accounts.tokens import token_issue
    from backend.reports.models import IdempotencyKey, Report
    from backend.reports.selectors.idempotency import idempotency_key_find
    from backend.transparency import figures
    from routing.models import Agency, Area, Category

    if not args.reuse:
        # both loads ran with the figures' triggers off
        t0 = time.perf_counter()
        figures.rebuild()
        print(f"daily figures rebuilt from every report in {time.perf_counter() - t0:.1f} s "
              f"({figures.DailyFigures.objects.count():,} rows)")
        t0 = time.perf_counter()
        figures.medians_refresh(force=True)
        print(f"medians computed by the periodic job's step in {time.perf_counter() - t0:.1f} s "
              f"({figures.ResolutionMedian.objects.count():,} rows)")

    def explain(sql: str, seconds: float) -> None:
        with connection.cursor() as cursor:
            prefix = "EXPLAIN (ANALYZE, BUFFERS) " if connection.vendor == "postgresql" else "EXPLAIN QUERY PLAN "
            cursor.execute(prefix + sql)
            plan = "\n".join("      " + " | ".join(str(c) for c in row) for row in cursor.fetchall()[:16])
        print(f"    slowest statement ({seconds * 1000:.1f} ms): {sql[:200]}\n{plan}")

    def client_for(user) -> APIClient:
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {token_issue(user=user)}")
        return client

    operator = client_for(user_ensure(username="scale-op", role="operator"))
    hepco = Agency.objects.get(code="hepco")
    agency = client_for(user_ensure(username="scale-hepco", role="agency", agency_code="hepco"))
    sample = Report.objects.order_by("-id").values("id", "reporter_id").first()
    citizen = client_for(User.objects.get(pk=sample["reporter_id"]))
    anonymous = APIClient()
    category = Category.objects.get(code="road_damage")
    area = Area.objects.order_by("id").first()
    from datetime import timedelta

    from django.utils import timezone

    since_30 = (timezone.now() - timedelta(days=30)).date().isoformat()
    def second_page(client: APIClient, path: str) -> str:
        """The `next` link of the first page: a keyset page deep in the order costs what the first does."""
        return str(client.get(path).json()["next"]).replace("http://testserver", "")

    endpoints = [
        ("ops queue (default: urgency)", operator, "/api/v1/ops/reports/"),
        ("ops queue, next page", operator, second_page(operator, "/api/v1/ops/reports/")),
        ("ops open queue", operator, "/api/v1/ops/reports/?open=true"),
        ("ops newest first", operator, "/api/v1/ops/reports/?ordering=-created_at"),
        ("ops by status", operator, "/api/v1/ops/reports/?status=needs_review"),
        ("ops by category+urgency", operator, f"/api/v1/ops/reports/?category={category.code}&urgency=high"),
        ("ops by ward", operator, f"/api/v1/ops/reports/?area={area.code}"),
        ("ops by agency", operator, f"/api/v1/ops/reports/?agency={hepco.code}"),
        ("ops overdue", operator, "/api/v1/ops/reports/?overdue=true"),
        ("ops report detail", operator, f"/api/v1/ops/reports/{sample['id']}/"),
        ("agency tickets", agency, "/api/v1/agency/tickets/"),
        ("agency tickets, open", agency, "/api/v1/agency/tickets/?open=true"),
        ("citizen: mine", citizen, "/api/v1/reports/mine/"),
        ("public reports", anonymous, "/api/v1/public/reports/"),
        ("public reports, next page", anonymous, second_page(anonymous, "/api/v1/public/reports/")),
        ("public reports by ward", anonymous, f"/api/v1/public/reports/?area={area.code}"),
        ("public stats", anonymous, "/api/v1/public/stats/"),
        ("public stats, last 30 days", anonymous, f"/api/v1/public/stats/?since={since_30}"),
        ("open311 requests", anonymous, "/open311/v2/requests.json"),
    ]
    for _, client, path in endpoints:
        client.get(path)  # warm every endpoint: first calls read pages from disk and import lazily
    if args.gc_freeze:
        # What every ASGI server does once its application is loaded (backend/asgi.py): the objects
        # alive now are left out of every later collection (a full collection of them takes ~300 ms,
        # the p99 without this) and young collections run every REALTIME_GC_THRESHOLD allocations.
        from realtime.process import tune_gc

        tune_gc()
    print(f"load average before: {os.getloadavg()[0]:.2f}")
    print(f"{'endpoint':<30}{'status':>7}{'queries':>8}{'p50 ms':>9}{'p99 ms':>9}{'SQL p50':>9}{'SQL p99':>9}"
          "  goal p99 <= 50 ms")
    for name, client, path in endpoints:
        if any(part in name for part in args.skip):
            continue
        timings, sql_timings, status, slowest, count = [], [], 0, ("", 0.0), 0
        # Full (oldest generation) garbage collections during the calls: a p99 far above the p50 with
        # one of these is the collector walking the process's heap, not the query.
        collections_before = gc.get_stats()[2]["collections"]
        connection.queries_log.clear()  # it keeps 9,000 queries: past that the captures come back empty
        for run in range(args.runs):
            with CaptureQueriesContext(connection) as queries:
                t0 = time.perf_counter()
                response = client.get(path)
                timings.append((time.perf_counter() - t0) * 1000)
            sql_timings.append(sum(float(q["time"]) for q in queries.captured_queries) * 1000)
            status = response.status_code
            if run == args.runs - 1:
                slowest = max(((q["sql"], float(q["time"])) for q in queries.captured_queries),
                              key=lambda x: x[1], default=("", 0.0))  # an answer from a cache has none
                count = len(queries.captured_queries)
        p99 = percentile(timings, 0.99)
        verdict = "ok" if p99 <= 50 else "SLOW"
        full_gcs = gc.get_stats()[2]["collections"] - collections_before
        verdict += f" (full GC x{full_gcs})" if full_gcs else ""
        print(f"{name:<30}{status:>7}{count:>8}{statistics.median(timings):>9.1f}{p99:>9.1f}"
              f"{statistics.median(sql_timings):>9.1f}{percentile(sql_timings, 0.99):>9.1f}  {verdict}")
        if args.explain and slowest[0]:
            explain(slowest[0], slowest[1])
    import random

    bounds = Report.objects.aggregate(low=django.db.models.Min("id"), high=django.db.models.Max("id"))
    picked = [random.randint(bounds["low"], bounds["high"]) for _ in range(200)]
    keys = list(IdempotencyKey.objects.filter(report_id__in=picked).values_list("user_id", "key"))
    timings = []
    for user_id, key in keys:
        t0 = time.perf_counter()
        found = idempotency_key_find(user_id=user_id, key=key)
        timings.append((time.perf_counter() - t0) * 1000)
        assert found is not None
    missing = uuid.uuid4().hex
    for user_id, _ in keys[:50]:
        t0 = time.perf_counter()
        assert idempotency_key_find(user_id=user_id, key=missing) is None
        timings.append((time.perf_counter() - t0) * 1000)
    p99 = percentile(timings, 0.99)
    print(f"{'idempotency lookup (selector)':<30}{'':>7}{1:>8}{statistics.median(timings):>9.2f}{p99:>9.2f}  "
          f"goal p99 <= 5 ms: {'ok' if p99 <= 5 else 'SLOW'}")
    if args.explain and keys:
        connection.queries_log.clear()
        with CaptureQueriesContext(connection) as queries:
            idempotency_key_find(user_id=keys[0][0], key=keys[0][1])
        explain(queries.captured_queries[0]["sql"], float(queries.captured_queries[0]["time"]))
    print(f"load average after: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
