"""Baselines and load hooks for the benchmarks, mounted only by tests/bench/urls.py and asgi.py.

- `insert/`: a view inserting one row (bench_intake.py's baseline).
- `realtime/group_send/`: the bare baseline of bench_realtime.py: one group_send of a prebuilt
  message to the operators' group, no database, no event log. `BenchStreamConsumer` forwards it as is,
  outside seq accounting.
- `realtime/emit/?n=N`: N events through the real event log (each its own transaction, published after
  commit) with small synthetic payloads, for the lossless-delivery scenario.
"""

from __future__ import annotations

import gc
import time
from typing import Any

from channels.layers import get_channel_layer
from django.db import transaction
from django.http import HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt

from backend.core.models import JobHeartbeat
from realtime import log, streams, wire
from realtime.consumers import StreamConsumer

BARE_MESSAGE = "rt.raw"


class GcClock:
    """Time the server spends in the cyclic garbage collector, per generation (bench diagnostics)."""

    def __init__(self) -> None:
        self.started = 0.0
        self.seconds = [0.0, 0.0, 0.0]
        self.counts = [0, 0, 0]
        self.longest = [0.0, 0.0, 0.0]
        gc.callbacks.append(self)

    def __call__(self, phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            self.started = time.perf_counter()
            return
        spent = time.perf_counter() - self.started
        generation = info["generation"]
        self.seconds[generation] += spent
        self.counts[generation] += 1
        self.longest[generation] = max(self.longest[generation], spent)


GC_CLOCK = GcClock()


def gc_stats(request: HttpRequest) -> JsonResponse:
    clock = GC_CLOCK
    return JsonResponse({"seconds": clock.seconds, "counts": clock.counts, "longest": clock.longest,
                         "objects": len(gc.get_objects())})


@csrf_exempt
def insert_one_row(request: HttpRequest) -> JsonResponse:
    row = JobHeartbeat.objects.create(name="bench")
    return JsonResponse({"id": row.pk}, status=201)


@csrf_exempt
async def bare_group_send(request: HttpRequest) -> JsonResponse:
    layer = get_channel_layer()
    assert layer is not None
    marker = request.GET.get("marker", "")
    text = wire.dumps({"seq": 0, "type": "bench", "data": {"marker": marker, "t": time.time()}})
    await layer.group_send(streams.group_of(streams.Stream(streams.OPS)), {"type": BARE_MESSAGE, "text": text})
    return JsonResponse({"marker": marker})


@csrf_exempt
def emit(request: HttpRequest) -> JsonResponse:
    count = max(1, min(int(request.GET.get("n", "1")), 1000))
    first = last = 0
    for index in range(count):
        with transaction.atomic():
            row = log.record(
                "report.updated", report_id=1_000_000 + index % 50, change="bench",
                payloads={"ops": {"id": 1_000_000 + index % 50, "n": index}},
            )
        first = first or row.id
        last = row.id
    return JsonResponse({"first": first, "last": last})


class BenchStreamConsumer(StreamConsumer):
    async def rt_raw(self, message: dict[str, Any]) -> None:
        """The bare baseline's message: forwarded as is, like an event but without the event log."""
        if not self.closing and self.stream is not None:
            self._enqueue(message["text"])
