"""The production URLs plus the benchmarks' baseline endpoints (tests/bench/endpoints.py)."""

from django.urls import path

from backend.urls import handler404, handler500
from backend.urls import urlpatterns as production_urlpatterns
from tests.bench import endpoints

urlpatterns = [
    path("bench/insert/", endpoints.insert_one_row),
    path("bench/realtime/group_send/", endpoints.bare_group_send),
    path("bench/realtime/emit/", endpoints.emit),
    path("bench/gc/", endpoints.gc_stats),
    *production_urlpatterns,
]

__all__ = ["handler404", "handler500", "urlpatterns"]
