"""The public pages: /public/ (the city's record, warnings, fact checks, the assistant) and /track/.

Shells only (template + local JS/CSS, no CDN, no tile server): the scripts read the public API, so the
pages show exactly what the API publishes. The ward map is drawn from `wards_geojson`, the ward
outlines simplified to about 20 m (public information, and a phone should not download megabytes).
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import cache_control
from shapely.geometry import mapping, shape

from routing.selectors import areas_by_name


def public_page(request: HttpRequest) -> HttpResponse:
    return render(request, "transparency/public.html")


def track_page(request: HttpRequest) -> HttpResponse:
    return render(request, "transparency/track.html")


@cache_control(max_age=3600, public=True)
def wards_geojson(request: HttpRequest) -> JsonResponse:
    features = []
    for area in areas_by_name():
        geometry = None
        if area.geometry:
            simplified = shape(area.geometry).simplify(0.0002, preserve_topology=True)
            geometry = _rounded(mapping(simplified))
        features.append({
            "type": "Feature",
            "properties": {"code": area.code, "name": area.name, "kind": area.kind,
                           "centre": [round(area.centre_lon, 5), round(area.centre_lat, 5)]},
            "geometry": geometry,
        })
    return JsonResponse({"type": "FeatureCollection", "features": features})


def _rounded(value: object) -> object:
    if isinstance(value, float):
        return round(value, 5)
    if isinstance(value, list | tuple):
        return [_rounded(item) for item in value]
    if isinstance(value, dict):
        return {key: _rounded(item) for key, item in value.items()}
    return value
