"""The public statistics' sums, kept by the database, and the medians, kept by the periodic job.

A request used to read every report of the window into Python (61 s at a million reports,
docs/performance.md section 5). Now:
- the additive figures (total, open, resolved, on time, rated, stars) come from DailyFigures: one row
  per UTC day, agency and category, kept exact by triggers on reports_report (so every writer counts,
  a bulk UPDATE included). A window starting mid-day reads its first day's reports directly (one day
  at most, by the report_newest index);
- `overdue` depends on the clock: open reports with a deadline (DailyFigures) minus the open ones not
  yet due, counted live (due_at >= now: only recent reports, by the due_at index);
- the median hours to resolve comes from ResolutionMedian, computed by the periodic job for every day
  a window can start on (at most MEDIAN_MAX_AGE old); before the job's first run it is computed from
  the reports. Its window starts at the UTC day of `since`.

The definitions are in COLUMNS below, once, as SQL over a report row: the triggers, the rebuild and
the partial first day all use them; stats.figures_from_rows is the same definition in Python, kept as
the reference the tests compare with.
"""

from __future__ import annotations

import heapq
import statistics
from collections import defaultdict
from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from django.db import connection, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Min, Q, Sum
from django.utils import timezone

from backend.core.db_locks import serialize_on
from backend.reports.models import OPEN_STATUS_LIST, OPEN_STATUSES, Report, Status
from backend.transparency.models import DailyFigures, MedianRefresh, ResolutionMedian

MEDIAN_MAX_AGE = timedelta(hours=1)
# Statuses in which a report counts as resolved (with its resolved_at set).
RESOLVED_STATUSES = (Status.RESOLVED, Status.CLOSED)
# The report columns the figures read: a change of any other column leaves DailyFigures alone.
WATCHED = ("status", "agency_id", "category_id", "created_at", "due_at", "resolved_at", "rating_stars")


def _in(values: Iterable[str]) -> str:
    return "(" + ", ".join(f"'{v}'" for v in sorted(values)) + ")"  # our own constants: no user input


_OPEN = f"{{r}}.status IN {_in(OPEN_STATUSES)}"
_RESOLVED = f"{{r}}.resolved_at IS NOT NULL AND {{r}}.status IN {_in(RESOLVED_STATUSES)}"
# name -> SQL condition (counted as 1 when true) or value, over a report row `{r}`; merged excluded.
COLUMNS: dict[str, str] = {
    "total": "1 = 1",
    "open": _OPEN,
    "open_with_deadline": f"{_OPEN} AND {{r}}.due_at IS NOT NULL",
    "resolved": _RESOLVED,
    "resolved_with_deadline": f"{_RESOLVED} AND {{r}}.due_at IS NOT NULL",
    "on_time": f"{_RESOLVED} AND {{r}}.due_at IS NOT NULL AND {{r}}.resolved_at <= {{r}}.due_at",
    "rated": "{r}.rating_stars IS NOT NULL",
}
SUMS = {"stars_sum": "COALESCE({r}.rating_stars, 0)"}
COUNTED = f"{{r}}.status <> '{Status.MERGED}'"
TABLE = DailyFigures._meta.db_table
REPORTS = Report._meta.db_table


def _values(r: str) -> list[str]:
    counts = [f"CASE WHEN {cond.format(r=r)} THEN 1 ELSE 0 END" for cond in COLUMNS.values()]
    return counts + [expr.format(r=r) for expr in SUMS.values()]


def _day(r: str, vendor: str) -> str:
    if vendor == "postgresql":
        return f"({r}.created_at AT TIME ZONE 'UTC')::date"
    return f"date({r}.created_at)"


NAMES = [*COLUMNS, *SUMS]
# The row holding every day's sum (per agency and category), so a window reads few rows whatever its
# length: the days after its start, or the all-time row minus the days before it.
ALL_TIME = date(1, 1, 1)
_KEY = ["day", "agency_id", "category_id"]


def _all_time(vendor: str) -> str:
    return f"DATE '{ALL_TIME.isoformat()}'" if vendor == "postgresql" else f"'{ALL_TIME.isoformat()}'"


def _upsert(r: str, sign: str, vendor: str) -> str:
    """The row's contribution (times sign) added to its day's row and to the all-time row."""
    values = ", ".join(f"{sign} * ({v})" for v in _values(r))
    updates = ", ".join(f"{n} = {TABLE}.{n} + excluded.{n}" for n in NAMES)
    return "; ".join(
        f"INSERT INTO {TABLE} ({', '.join(_KEY + NAMES)}) VALUES "
        f"({day}, COALESCE({r}.agency_id, 0), COALESCE({r}.category_id, 0), {values}) "
        f"ON CONFLICT (day, agency_id, category_id) DO UPDATE SET {updates}"
        for day in (_day(r, vendor), _all_time(vendor))
    )


def _changed(vendor: str) -> str:
    op = "IS DISTINCT FROM" if vendor == "postgresql" else "IS NOT"
    return " OR ".join(f"OLD.{c} {op} NEW.{c}" for c in WATCHED)


def trigger_sql(vendor: str) -> list[str]:
    """Statements that (re)create the triggers keeping DailyFigures exact (idempotent)."""
    if vendor == "postgresql":
        return [
            f"""CREATE OR REPLACE FUNCTION daily_figures_apply(r {REPORTS}, sign integer) RETURNS void AS $$
            BEGIN
                IF {COUNTED.format(r="r")} THEN {_upsert("r", "sign", vendor)}; END IF;
            END $$ LANGUAGE plpgsql""",
            """CREATE OR REPLACE FUNCTION daily_figures_trigger() RETURNS trigger AS $$
            BEGIN
                IF TG_OP IN ('UPDATE', 'DELETE') THEN PERFORM daily_figures_apply(OLD, -1); END IF;
                IF TG_OP IN ('UPDATE', 'INSERT') THEN PERFORM daily_figures_apply(NEW, 1); END IF;
                RETURN NULL;
            END $$ LANGUAGE plpgsql""",
            f"DROP TRIGGER IF EXISTS daily_figures_insert_delete ON {REPORTS}",
            f"DROP TRIGGER IF EXISTS daily_figures_update ON {REPORTS}",
            f"""CREATE TRIGGER daily_figures_insert_delete AFTER INSERT OR DELETE ON {REPORTS}
            FOR EACH ROW EXECUTE FUNCTION daily_figures_trigger()""",
            f"""CREATE TRIGGER daily_figures_update AFTER UPDATE ON {REPORTS}
            FOR EACH ROW WHEN ({_changed(vendor)}) EXECUTE FUNCTION daily_figures_trigger()""",
        ]
    statements = [f"DROP TRIGGER IF EXISTS daily_figures_{name}" for name in ("insert", "delete", "update_old",
                                                                               "update_new")]
    counted_new, counted_old = COUNTED.format(r="NEW"), COUNTED.format(r="OLD")
    statements += [
        f"""CREATE TRIGGER daily_figures_insert AFTER INSERT ON {REPORTS} WHEN {counted_new}
        BEGIN {_upsert("NEW", "1", vendor)}; END""",
        f"""CREATE TRIGGER daily_figures_delete AFTER DELETE ON {REPORTS} WHEN {counted_old}
        BEGIN {_upsert("OLD", "-1", vendor)}; END""",
        f"""CREATE TRIGGER daily_figures_update_old AFTER UPDATE ON {REPORTS}
        WHEN {counted_old} AND ({_changed(vendor)})
        BEGIN {_upsert("OLD", "-1", vendor)}; END""",
        f"""CREATE TRIGGER daily_figures_update_new AFTER UPDATE ON {REPORTS}
        WHEN {counted_new} AND ({_changed(vendor)})
        BEGIN {_upsert("NEW", "1", vendor)}; END""",
    ]
    return statements


def triggers_install(conn: BaseDatabaseWrapper) -> None:
    with conn.cursor() as cursor:
        for statement in trigger_sql(conn.vendor):
            cursor.execute(statement)


def rebuild(conn: BaseDatabaseWrapper | None = None) -> None:
    """DailyFigures recomputed from every report (after a bulk load with triggers off, or to check)."""
    conn = conn or connection
    sums = ", ".join(f"SUM({v}) AS {n}" for v, n in zip(_values(REPORTS), NAMES, strict=True))
    with transaction.atomic(using=conn.alias), conn.cursor() as cursor:
        cursor.execute(f"DELETE FROM {TABLE}")
        for day in (_day(REPORTS, conn.vendor), _all_time(conn.vendor)):
            cursor.execute(
                f"INSERT INTO {TABLE} ({', '.join(_KEY + NAMES)}) "
                f"SELECT {day}, COALESCE(agency_id, 0), COALESCE(category_id, 0), {sums} "
                f"FROM {REPORTS} WHERE {COUNTED.format(r=REPORTS)} GROUP BY 1, 2, 3"
            )


# --- reading -------------------------------------------------------------------------------------

Sums = dict[tuple[str, int], dict[str, int]]  # ("agency_id" | "category_id", id) -> name -> value


def _add(into: Sums, rows: Iterable[tuple[Any, ...]], names: list[str] = NAMES, sign: int = 1) -> None:
    for agency_id, category_id, *values in rows:
        for group, key in (("agency_id", agency_id), ("category_id", category_id)):
            if not key:
                continue
            target = into.setdefault((group, key), dict.fromkeys(names, 0))
            for name, value in zip(names, values, strict=True):
                target[name] += sign * int(value or 0)


def _next_midnight(instant: datetime) -> datetime:
    return datetime.combine(instant.astimezone(UTC).date() + timedelta(days=1), time.min, tzinfo=UTC)


def sums(*, since: datetime | None, now: datetime) -> Sums:
    """Every additive figure per agency and per category, `overdue` included, for reports received since."""
    out: Sums = {}

    def add_days(days: Any, sign: int = 1) -> None:
        summed = days.values("agency_id", "category_id").annotate(**{f"sum_{n}": Sum(n) for n in NAMES})
        _add(out, summed.values_list("agency_id", "category_id", *(f"sum_{n}" for n in NAMES)).order_by(), sign=sign)

    if since is None:
        add_days(DailyFigures.objects.filter(day=ALL_TIME))
    else:
        # Whole days from the day after since's: the shorter of "those days" and "all time minus the
        # days before", so a window reads at most half the days (one row per agency and category each).
        start = _next_midnight(since).date()
        days = DailyFigures.objects.exclude(day=ALL_TIME)
        first_day = days.aggregate(first=Min("day"))["first"] or start
        if (timezone.now().date() - start) <= (start - first_day):
            add_days(days.filter(day__gte=start))
        else:
            add_days(DailyFigures.objects.filter(day=ALL_TIME))
            add_days(days.filter(day__lt=start), sign=-1)
    if since is not None:  # the first, partial day: its reports directly (one day at most)
        values = ", ".join(f"SUM({v})" for v in _values(REPORTS))
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT agency_id, category_id, {values} FROM {REPORTS} WHERE {COUNTED.format(r=REPORTS)} "
                "AND created_at >= %s AND created_at < %s GROUP BY agency_id, category_id",
                [connection.ops.adapt_datetimefield_value(since),
                 connection.ops.adapt_datetimefield_value(_next_midnight(since))],
            )
            _add(out, cursor.fetchall())
    # Open with a deadline, minus those not yet due: overdue now. Not yet due are only recent reports,
    # counted from the report_open_due index alone (COUNT(*): no column outside the index).
    # SQLite is told the index: among the open-only partial indexes it picked report_queue_agency_open
    # and read all of it (0.9 s at a million reports).
    hint = " INDEXED BY report_open_due" if connection.vendor == "sqlite" else ""
    sql = (f"SELECT agency_id, category_id, COUNT(*) FROM {REPORTS}{hint} WHERE status IN {_in(OPEN_STATUS_LIST)} "
           "AND due_at >= %s")
    params = [connection.ops.adapt_datetimefield_value(now)]
    if since is not None:
        sql += " AND created_at >= %s"
        params.append(connection.ops.adapt_datetimefield_value(since))
    due_later: Sums = {}
    with connection.cursor() as cursor:
        cursor.execute(sql + " GROUP BY agency_id, category_id", params)
        _add(due_later, cursor.fetchall(), names=["overdue"])
    for key, found in out.items():
        found["overdue"] = found["open_with_deadline"] - due_later.get(key, {}).get("overdue", 0)
    return out


# --- medians -------------------------------------------------------------------------------------


def _resolved_rows(group: str, since: datetime | None = None) -> Any:
    rows = Report.objects.exclude(status=Status.MERGED).filter(
        status__in=RESOLVED_STATUSES, resolved_at__isnull=False, **{f"{group}__isnull": False}
    )
    if since is not None:
        rows = rows.filter(created_at__gte=since)
    return rows


def _hours(created: datetime, resolved: datetime) -> float:
    return (resolved - created).total_seconds() / 3600


def medians(*, since: datetime | None) -> dict[tuple[str, int], float | None]:
    """The median hours to resolve per agency and category: the job's, or from the reports before it ran."""
    out: dict[tuple[str, int], float | None] = {}
    if MedianRefresh.objects.exists():
        rows = ResolutionMedian.objects.all()
        if since is not None:
            rows = rows.filter(day__gte=since.astimezone(UTC).date())
        first = rows.values("kind", "group_id").annotate(first=Min("day")).values_list("kind", "group_id", "first")
        wanted = Q(pk__in=[])
        for kind, group_id, day in first.order_by():
            wanted |= Q(kind=kind, group_id=group_id, day=day)
        for kind, group_id, value in ResolutionMedian.objects.filter(wanted).values_list(
            "kind", "group_id", "median_hours"
        ):
            out[(f"{kind}_id", group_id)] = value
        return out
    for group in ("agency_id", "category_id"):
        hours: dict[int, list[float]] = defaultdict(list)
        for key, created, resolved in _resolved_rows(group, since).values_list(group, "created_at", "resolved_at"):
            hours[key].append(_hours(created, resolved))
        for key, values in hours.items():
            out[(group, key)] = round(statistics.median(values), 2)
    return out


class _RunningMedian:
    """Exact median of a growing set: a max-heap of the lower half and a min-heap of the upper half."""

    def __init__(self) -> None:
        self.low: list[float] = []  # negated
        self.high: list[float] = []

    def add(self, value: float) -> None:
        if self.low and value > -self.low[0]:
            heapq.heappush(self.high, value)
        else:
            heapq.heappush(self.low, -value)
        if len(self.low) > len(self.high) + 1:
            heapq.heappush(self.high, -heapq.heappop(self.low))
        elif len(self.high) > len(self.low):
            heapq.heappush(self.low, -heapq.heappop(self.high))

    def __len__(self) -> int:
        return len(self.low) + len(self.high)

    def median(self) -> float:
        if len(self.low) > len(self.high):
            return -self.low[0]
        return (-self.low[0] + self.high[0]) / 2


def medians_refresh(*, now: datetime | None = None, force: bool = False) -> bool:
    """Recompute every group's median for every day a window can start on; at most every MEDIAN_MAX_AGE.

    Reads each resolved report once, newest first, adding it to its group's running median and
    recording the median at each day boundary: the median of the reports received from that day on.
    """
    now = now or timezone.now()
    last = MedianRefresh.objects.first()
    if last is not None and not force and now - last.computed_at < MEDIAN_MAX_AGE:
        return False
    found: list[ResolutionMedian] = []
    for kind, group in ((ResolutionMedian.Kind.AGENCY, "agency_id"), (ResolutionMedian.Kind.CATEGORY, "category_id")):
        running: dict[int, _RunningMedian] = defaultdict(_RunningMedian)
        pending: dict[int, date] = {}  # group -> day whose reports were added since its last record

        def record(key: int, day: date, kind: str = kind, running: dict[int, _RunningMedian] = running) -> None:
            state = running[key]
            found.append(ResolutionMedian(kind=kind, group_id=key, day=day,
                                          median_hours=round(state.median(), 2), resolved=len(state)))

        rows = _resolved_rows(group).order_by("-created_at", "-id").values_list(group, "created_at", "resolved_at")
        for key, created, resolved in rows.iterator(chunk_size=10_000):
            day = created.astimezone(UTC).date()
            if key in pending and pending[key] != day:
                record(key, pending[key])
            pending[key] = day
            running[key].add(_hours(created, resolved))
        for key, day in pending.items():
            record(key, day)
    with transaction.atomic():
        serialize_on("transparency-medians")  # several workers' passes: one replaces the medians at a time
        ResolutionMedian.objects.all().delete()
        ResolutionMedian.objects.bulk_create(found, batch_size=5_000)
        MedianRefresh.objects.all().delete()
        MedianRefresh.objects.create(computed_at=now)
    return True
