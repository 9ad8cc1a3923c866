"""The public pages: /public/ (the city's record, warnings, fact checks, the assistant) and /track/.

Shells only (template + local JS/CSS, no CDN, no tile server): the scripts read the public API, so the
pages show exactly what the API publishes. The ward map is drawn from the one public ward-outline
endpoint every page shares, `/dashboard/wards.geojson` (realtime/views.py).
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def public_page(request: HttpRequest) -> HttpResponse:
    return render(request, "transparency/public.html")


def track_page(request: HttpRequest) -> HttpResponse:
    return render(request, "transparency/track.html")
