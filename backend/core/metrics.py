"""Prometheus metrics at /metrics (prometheus-client), for the city's IT team, never for the public.

Access: with METRICS_TOKEN set only ``Authorization: Bearer <token>`` (401 otherwise); unset, only
loopback clients (403 otherwise). The proxy does not route /metrics at all.

Several worker processes (uvicorn --workers, gunicorn) each count their own requests; with
PROMETHEUS_MULTIPROC_DIR set (the compose file does) the scrape adds them up. Figures that live in
the database (events logged, the periodic job's last run) are read at scrape time instead, so every
server reports the same value.
"""

from __future__ import annotations

import hmac
import ipaddress
import os
import time
from collections.abc import Awaitable, Callable, Iterator
from typing import Any

from asgiref.sync import iscoroutinefunction
from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.decorators import sync_and_async_middleware
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
)
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily
from prometheus_client.registry import REGISTRY, Collector

from backend.core.errors import error_body
from backend.core.request_id import route_of

MULTIPROCESS = bool(os.environ.get("PROMETHEUS_MULTIPROC_DIR"))

REQUESTS = Counter("hue_http_requests_total", "HTTP requests answered", ["method", "route", "status"])
LATENCY = Histogram(
    "hue_http_request_duration_seconds",
    "Time to answer an HTTP request",
    ["method", "route"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
)
REPORTS = Counter("hue_reports_created_total", "Reports created", ["category", "urgency"])
TRIAGE_LATENCY = Histogram(
    "hue_triage_duration_seconds",
    "Time of one triage classification",
    buckets=(0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25),
)
SOCKETS = Gauge(
    "hue_websockets_connected", "Websockets open, by stream", ["stream"], multiprocess_mode="livesum"
)


def record_report_created(category: str, urgency: str) -> None:
    REPORTS.labels(category=category or "none", urgency=urgency or "none").inc()


class DatabaseFigures(Collector):
    """Read at scrape time from the database, so every server answers the same."""

    def collect(self) -> Iterator[Any]:
        from django.db.models import Max

        from backend.core.models import JobHeartbeat
        from realtime.models import EventLog

        newest = EventLog.objects.aggregate(seq=Max("id"), at=Max("created_at"))
        events = CounterMetricFamily("hue_events_logged", "Events written to the event log (its last sequence)")
        events.add_metric([], float(newest["seq"] or 0))
        yield events
        age = GaugeMetricFamily("hue_event_log_newest_age_seconds", "Seconds since the newest event was logged")
        if newest["at"] is not None:
            age.add_metric([], max(0.0, time.time() - newest["at"].timestamp()))
        yield age
        last_run = GaugeMetricFamily(
            "hue_periodic_job_last_run_timestamp_seconds", "When each periodic job last ran", labels=["job"]
        )
        for row in JobHeartbeat.objects.exclude(name="bench").values("name").annotate(at=Max("beat_at")):
            last_run.add_metric([row["name"]], row["at"].timestamp())
        yield last_run


def _registry() -> CollectorRegistry:
    if MULTIPROCESS:
        from prometheus_client import multiprocess

        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
    else:
        registry = CollectorRegistry()
        registry.register(_ProcessRegistry())
    registry.register(DatabaseFigures())
    return registry


class _ProcessRegistry(Collector):
    def collect(self) -> Iterator[Any]:
        yield from REGISTRY.collect()


_LOOPBACK = (ipaddress.ip_network("127.0.0.0/8"), ipaddress.ip_network("::1/128"))


def _allowed(request: HttpRequest) -> tuple[bool, int]:
    token = settings.METRICS_TOKEN
    if token:
        given = request.headers.get("Authorization", "")
        return hmac.compare_digest(given.encode(), f"Bearer {token}".encode()), 401
    try:
        address = ipaddress.ip_address(request.META.get("REMOTE_ADDR", ""))
    except ValueError:
        return False, 403
    return any(address in network for network in _LOOPBACK), 403


def metrics_view(request: HttpRequest) -> HttpResponse:
    allowed, refusal = _allowed(request)
    if not allowed:
        code = "not_authenticated" if refusal == 401 else "permission_denied"
        response = JsonResponse(error_body(code, "metrics are not public"), status=refusal)
        if refusal == 401:
            response["WWW-Authenticate"] = 'Bearer realm="metrics"'
        return response
    return HttpResponse(generate_latest(_registry()), content_type=CONTENT_TYPE_LATEST)


def _observe(request: HttpRequest, response: HttpResponse, started: float) -> None:
    route = route_of(request)
    REQUESTS.labels(request.method, route, str(response.status_code)).inc()
    LATENCY.labels(request.method, route).observe(time.perf_counter() - started)


@sync_and_async_middleware
def metrics_middleware(get_response: Callable[[HttpRequest], Any]) -> Callable[[HttpRequest], Any]:
    if iscoroutinefunction(get_response):
        async_get_response: Callable[[HttpRequest], Awaitable[HttpResponse]] = get_response

        async def async_middleware(request: HttpRequest) -> HttpResponse:
            started = time.perf_counter()
            response = await async_get_response(request)
            _observe(request, response, started)
            return response

        return async_middleware

    def middleware(request: HttpRequest) -> HttpResponse:
        started = time.perf_counter()
        response: HttpResponse = get_response(request)
        _observe(request, response, started)
        return response

    return middleware


def websocket_stream(path: str) -> str:
    """/ws/ops/ -> ops, /ws/reports/12/ -> reports: the stream, without ids."""
    parts = [part for part in path.split("/") if part]
    return parts[1] if len(parts) >= 2 and parts[0] == "ws" else "other"


def count_websockets(app: Callable[..., Awaitable[None]]) -> Callable[..., Awaitable[None]]:
    """ASGI wrapper around the websocket application: counts accepted sockets until they close."""

    async def counted(scope: dict[str, Any], receive: Callable[..., Any], send: Callable[..., Any]) -> None:
        gauge = SOCKETS.labels(stream=websocket_stream(scope.get("path", "")))
        accepted = False

        async def counting_send(message: dict[str, Any]) -> None:
            nonlocal accepted
            if message.get("type") == "websocket.accept" and not accepted:
                accepted = True
                gauge.inc()
            await send(message)

        try:
            await app(scope, receive, counting_send)
        finally:
            if accepted:
                gauge.dec()

    return counted


def count_created_report(sender: Any, instance: Any, created: bool, **kwargs: Any) -> None:
    """post_save receiver for reports.Report (connected in CoreConfig.ready): counting only, no logic."""
    if created:
        category = getattr(getattr(instance, "category", None), "code", "") or ""
        record_report_created(category, getattr(instance, "urgency", "") or "")
