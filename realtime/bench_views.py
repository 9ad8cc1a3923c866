"""Endpoints for tests/bench/bench_realtime.py, mounted only when BENCH_ENDPOINTS=true.

- `group_send/`: the bare baseline: one group_send of a prebuilt message to the operators' group, no
  database, no event log (consumers forward it as is, outside seq accounting).
- `emit/?n=N`: N events through the real event log (each its own transaction, published after
  commit) with small synthetic payloads, for the lossless-delivery test.
"""

from __future__ import annotations

import time

from channels.layers import get_channel_layer
from django.db import transaction
from django.http import HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt

from realtime import groups, log, wire


@csrf_exempt
async def bare_group_send(request: HttpRequest) -> JsonResponse:
    layer = get_channel_layer()
    assert layer is not None
    marker = request.GET.get("marker", "")
    text = wire.dumps({"seq": 0, "type": "bench", "data": {"marker": marker, "t": time.time()}})
    await layer.group_send(groups.OPS, {"type": "rt.raw", "text": text})
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
