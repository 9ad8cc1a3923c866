"""Baseline endpoint for the intake benchmark, mounted only when BENCH_ENDPOINTS=true."""

from django.http import HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt

from backend.core.models import JobHeartbeat


@csrf_exempt
def insert_one_row(request: HttpRequest) -> JsonResponse:
    row = JobHeartbeat.objects.create(name="bench")
    return JsonResponse({"id": row.pk}, status=201)
