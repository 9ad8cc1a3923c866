"""Writing, reading and trimming the event log. Plain data in, plain data out: no business logic.

Gap detection: every published event carries, per stream, `prev`: the seq of the previous event of
that same stream. Channel layers drop silently (a full in-memory channel, a Redis reconnect, the
pub/sub layer), so a consumer that sees `prev` above what it delivered knows it lost something and
replays from the log; tail losses are caught by the heartbeat comparing with the stream's head.

Ordering guarantee: seq order is commit order. SQLite serialises writers (IMMEDIATE transactions);
on PostgreSQL two transactions could take ids 10 and 11 and commit 11 first, and a client that saw
11 and resumed "after 11" would never get 10. So on PostgreSQL the insert takes a transaction-scoped
advisory lock first: from the event insert to commit, event-writing transactions run one at a time
(services write the event last, so that stretch is short).
"""

from __future__ import annotations

import operator
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import reduce
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Max, Q
from django.db.models.sql import InsertQuery
from django.utils import timezone

from realtime import streams, wire
from realtime.models import EventLog, LogWatermark
from realtime.publish import publish_event_on_commit
from realtime.streams import Probe, Stream

ADVISORY_LOCK_KEY = 0x48554553  # "HUES"


def record(
    event_type: str,
    *,
    report_id: int,
    change: str = "",
    agency_id: int | None = None,
    payloads: dict[str, dict[str, Any] | None],
    alert: bool = False,
    new_report: bool = False,
) -> EventLog:
    """Append one event (call inside the transaction of the change) and publish it after commit.

    `payloads` maps audience ("ops", "agency", "citizen") to what that audience may see; a missing
    or None audience is not told. The agency that held the ticket before (from the log itself) is
    told the ticket left it when `agency_id` changes; `new_report` says there is no before (the
    report is being created in this transaction), which spares that read.

    Call it last in the transaction: on PostgreSQL the event lock is held from here to commit.
    """
    unknown = set(payloads) - {"ops", "agency", "citizen"}
    if unknown:
        raise ValueError(f"unknown audiences: {sorted(unknown)}")
    row = EventLog(
        type=event_type,
        change=change,
        report_id=report_id,
        agency_id=agency_id,
        alert=alert,
        ops_payload=payloads.get("ops"),
        agency_payload=payloads.get("agency") if agency_id is not None else None,
        citizen_payload=payloads.get("citizen"),
    )
    lock = connection.vendor == "postgresql"
    # No savepoint: a failure here must fail the whole change anyway (an event-less change would be
    # invisible to dashboards), and a savepoint is two more statements under the event lock.
    with transaction.atomic(savepoint=False):
        if not new_report:
            if lock:
                # Taken as late as possible (payloads are built by the caller before this): from here
                # to commit, event-writing transactions run one at a time.
                _take_event_lock()
                lock = False
            # Under the lock, so it sees the event any transaction before this one wrote for the
            # report, whether or not the caller locked the report's row.
            previous = EventLog.objects.filter(report_id=report_id).order_by("-id").values_list("agency_id", flat=True).first()
            row.previous_agency_id = previous if previous != agency_id else None
        # Which streams hear of it depends on the row's columns, not on its seq.
        prevs = _insert(row, [stream for stream, _ in streams.audiences(row)], lock_first=lock)
        heard = streams.audiences(row)
    publish_event_on_commit(row, heard, prevs)
    return row


def last_in(stream: Stream, *, before: int | None = None) -> int | None:
    """The newest seq of `stream` (below `before`), each of its replay probes one index probe."""
    found = []
    for probe in streams.kind_of(stream).replay:
        qs = EventLog.objects.filter(_probe_q(probe, stream.key))
        if before is not None:
            qs = qs.filter(id__lt=before)
        value = qs.order_by("-id").values_list("id", flat=True).first()
        if value is not None:
            found.append(value)
    return max(found) if found else None


def last_in_many(wanted: list[Stream], *, before: int) -> dict[Stream, int | None]:
    """`last_in` for several streams in one round trip.

    This runs inside every change's transaction (and, on PostgreSQL, under the event lock), so it is
    one raw statement of scalar subqueries rather than one ORM query per stream.
    """
    if not wanted:
        return {}
    columns, params, owners = _prev_columns(wanted, "%s", [before])
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(columns), params)
        values = cursor.fetchone()
    return _newest(wanted, owners, values)


def _take_event_lock() -> None:
    with connection.cursor() as cursor:
        cursor.execute(_LOCK_SQL, [ADVISORY_LOCK_KEY])


_LOCK_SQL = "SELECT pg_advisory_xact_lock(%s)"


def _insert(row: EventLog, wanted: list[Stream], *, lock_first: bool) -> dict[Stream, int | None]:
    """Insert `row` and read the seq before it of every stream in `wanted`: one round trip.

    The previous seqs ride in the insert's RETURNING as scalar subqueries (they see the statement's
    snapshot, so not the row itself; `id <` says so anyway). With `lock_first` (PostgreSQL), the
    event lock is taken by a first statement sent with it: the insert runs as soon as the lock is
    granted, and as a statement of its own it reads a snapshot taken after the lock, so it sees the
    events of every transaction that held the lock before. From the lock to commit there is then
    this one round trip and COMMIT. The INSERT itself is Django's (field conversion, auto_now_add).
    """
    meta = EventLog._meta
    query = InsertQuery(EventLog)
    query.insert_values([f for f in meta.local_concrete_fields if f is not meta.pk], [row])
    compiler = query.get_compiler(connection=connection)
    compiler.returning_fields = [meta.pk]
    [(sql, params)] = compiler.as_sql()
    quote = connection.ops.quote_name
    columns, extra, owners = _prev_columns(wanted, f"{quote(meta.db_table)}.id", [])
    sql = ", ".join([sql, *columns])
    params = [*params, *extra]
    with connection.cursor() as cursor:
        if lock_first and _binds_client_side(cursor):
            # Django binds parameters client side by default, so both statements go as one query.
            cursor.execute(f"{_LOCK_SQL}; {sql}", [ADVISORY_LOCK_KEY, *params])
            cursor.nextset()
        else:
            if lock_first:  # server-side binding: one statement per round trip
                cursor.execute(_LOCK_SQL, [ADVISORY_LOCK_KEY])
            cursor.execute(sql, params)
        seq, *values = cursor.fetchone()
    row.id = seq
    row._state.adding = False
    row._state.db = connection.alias
    return _newest(wanted, owners, values)


def _binds_client_side(cursor: Any) -> bool:
    from psycopg import ClientCursor  # PostgreSQL only; Django's default cursor there

    return isinstance(cursor.cursor, ClientCursor)


def _prev_columns(wanted: list[Stream], before: str, before_params: list[Any]) -> tuple[list[str], list[Any], list[Stream]]:
    """One scalar subquery per replay probe of each stream: its newest seq below `before` (SQL)."""
    table = connection.ops.quote_name(EventLog._meta.db_table)
    columns: list[str] = []
    params: list[Any] = []
    owners: list[Stream] = []
    for stream in wanted:
        for probe in streams.kind_of(stream).replay:
            where, values = _probe_sql(probe, stream.key)
            # Aliased, so that `before` may name the row being inserted (`where` names the alias's).
            columns.append(
                f"(SELECT earlier.id FROM {table} AS earlier WHERE {where} AND earlier.id < {before}"
                " ORDER BY earlier.id DESC LIMIT 1)"
            )
            params += [*values, *before_params]
            owners.append(stream)
    return columns, params, owners


def _newest(wanted: list[Stream], owners: list[Stream], values: Any) -> dict[Stream, int | None]:
    found: dict[Stream, int | None] = dict.fromkeys(wanted)
    for stream, value in zip(owners, values, strict=True):
        if value is not None:
            current = found[stream]
            found[stream] = value if current is None else max(current, value)
    return found


def _probe_q(probe: Probe, key: int | None) -> Q:
    conditions: dict[str, Any] = {}
    if probe.key_column:
        conditions[probe.key_column] = key
    if probe.present:
        conditions[f"{probe.present}__isnull"] = False
    if probe.flag:
        conditions[probe.flag] = True
    return Q(**conditions)


def _probe_sql(probe: Probe, key: int | None) -> tuple[str, list[Any]]:
    """The same condition as `_probe_q`, as a raw WHERE clause (for `last_in_many`)."""
    quote = connection.ops.quote_name
    parts: list[str] = []
    params: list[Any] = []
    if probe.key_column:
        parts.append(f"{quote(probe.key_column)} = %s")
        params.append(key)
    if probe.present:
        parts.append(f"{quote(probe.present)} IS NOT NULL")
    if probe.flag:
        parts.append(f"{quote(probe.flag)} = %s")
        params.append(True)
    return " AND ".join(parts) or "1 = 1", params


def stream_filter(stream: Stream) -> Q:
    """The rows of the log that belong to `stream` (what a replay reads)."""
    return reduce(operator.or_, (_probe_q(probe, stream.key) for probe in streams.kind_of(stream).replay))


def purged_through() -> int:
    return LogWatermark.objects.filter(pk=1).values_list("purged_through", flat=True).first() or 0


def head() -> int:
    """The newest seq that exists (or existed: after a full purge the watermark remembers it).

    One raw statement: every socket asks it when it connects (1,000 at once after a restart).
    """
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT (SELECT MAX(id) FROM {quote(EventLog._meta.db_table)}),"
            f" (SELECT purged_through FROM {quote(LogWatermark._meta.db_table)} WHERE id = 1)"
        )
        newest, floor = cursor.fetchone()
    return max(newest or 0, floor or 0)


@dataclass(frozen=True)
class ResumePlan:
    ok: bool
    reason: str = ""
    head: int = 0
    oldest: int = 0
    count: int = 0


def plan_resume(stream: Stream, after: int) -> ResumePlan:
    """Can `after` be served from the log? If not, the client must reload its state."""
    floor = purged_through()
    current = head()
    if after < floor:
        return ResumePlan(False, "too_old", current, floor)
    if after > current:
        # A seq from the future: the log was reset (new database). Only a reload is correct.
        return ResumePlan(False, "unknown_seq", current, floor)
    count = EventLog.objects.filter(stream_filter(stream), id__gt=after).count()
    if count > settings.REALTIME_REPLAY_MAX:
        return ResumePlan(False, "too_many", current, floor, count)
    return ResumePlan(True, "", current, floor, count)


def read_after(stream: Stream, after: int, limit: int) -> list[tuple[int, str | None]]:
    """Up to `limit` (seq, text) pairs after `after` for this stream, oldest first.

    text is None for a row this stream may not see (it still advances the reader's cursor).
    """
    rows = EventLog.objects.filter(stream_filter(stream), id__gt=after).order_by("id")[:limit]
    out: list[tuple[int, str | None]] = []
    for row in rows:
        message = streams.render(row, stream)
        out.append((row.id, wire.dumps(message) if message is not None else None))
    return out


def purge_expired(*, now: datetime | None = None) -> int:
    """Forget events older than the retention window; resumes from before them get "reload"."""
    cutoff = (now or timezone.now()) - timedelta(hours=settings.REALTIME_RETENTION_HOURS)
    with transaction.atomic():
        last = EventLog.objects.filter(created_at__lt=cutoff).aggregate(m=Max("id"))["m"]
        if last is None:
            return 0
        deleted, _ = EventLog.objects.filter(id__lte=last).delete()
        mark, _ = LogWatermark.objects.select_for_update().get_or_create(pk=1)
        if last > mark.purged_through:
            mark.purged_through = last
            mark.save(update_fields=["purged_through"])
    return deleted
