"""The staff pages: operators' /dashboard/, agencies' /agency/, and their login.

Pages are shells (template + local JS/CSS): they subscribe to their websocket first, then load state
through the REST API with the session (CSRF header), then apply events. No CDN, no tile server: the
ward map is drawn from the ward polygons served by `wards_geojson`.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.views import LoginView
from django.http import HttpRequest, HttpResponse, HttpResponseBase, HttpResponseForbidden, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import cache_control
from django.views.decorators.csrf import ensure_csrf_cookie
from django.views.decorators.http import require_POST

from realtime import access
from realtime.streams import KINDS


def _login_redirect(request: HttpRequest) -> HttpResponse:
    return redirect(f"{reverse('realtime-login')}?next={request.path}")


def _page_config(request: HttpRequest, stream: str) -> dict[str, Any]:
    return {
        "stream": stream,
        "ws": "/" + KINDS[stream].route,
        "heartbeat": settings.REALTIME_HEARTBEAT_SECONDS,
        "user": access.policy().describe_user(request.user),
    }


@ensure_csrf_cookie
def dashboard(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return _login_redirect(request)
    if not access.policy().can_watch_ops(request.user):
        return HttpResponseForbidden("Chỉ dành cho điều hành viên IOC / IOC operators only")
    config = _page_config(request, "ops")
    return render(request, "realtime/dashboard.html", {"config": config})


@ensure_csrf_cookie
def agency_board(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return _login_redirect(request)
    if access.policy().agency_of(request.user) is None:
        return HttpResponseForbidden("Chỉ dành cho cán bộ đơn vị / agency staff only")
    config = _page_config(request, "agency")
    return render(request, "realtime/agency.html", {"config": config})


class StaffLoginView(LoginView):
    template_name = "realtime/login.html"
    redirect_authenticated_user = False

    def get_success_url(self) -> str:
        target = self.request.POST.get("next") or self.request.GET.get("next") or ""
        if target and url_has_allowed_host_and_scheme(target, allowed_hosts={self.request.get_host()}):
            return target
        user = self.request.user
        if access.policy().agency_of(user) is not None:
            return reverse("realtime-agency")
        return reverse("realtime-dashboard")


@require_POST
def staff_logout(request: HttpRequest) -> HttpResponseBase:
    logout(request)
    return redirect("realtime-login")


@cache_control(max_age=3600, public=True)
def wards_geojson(request: HttpRequest) -> HttpResponse:
    """The ward polygons (coordinates rounded to ~1 m) plus centres, for every page's SVG map.

    Public geography (the citizen's app draws it before login to place a pin), so no login.
    """
    from routing.models import Area  # presentation data only; realtime never imports backend

    features = []
    for area in Area.objects.order_by("name"):
        geometry = _rounded(area.geometry) if area.geometry else None
        features.append(
            {
                "type": "Feature",
                "properties": {
                    "code": area.code, "name": area.name, "kind": area.kind,
                    "centre": [round(area.centre_lon, 5), round(area.centre_lat, 5)],
                },
                "geometry": geometry,
            }
        )
    return JsonResponse({"type": "FeatureCollection", "features": features})


def _rounded(value: Any) -> Any:
    if isinstance(value, float):
        return round(value, 5)
    if isinstance(value, list):
        return [_rounded(item) for item in value]
    if isinstance(value, dict):
        return {key: _rounded(item) for key, item in value.items()}
    return value
