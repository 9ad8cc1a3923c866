"""The pages: operators' /dashboard/, agencies' /agency/ and their login, and the citizens' /app/.

Pages are shells (template + local JS/CSS): they subscribe to their websocket first, then load state
through the REST API, then apply events. Staff pages use the session (CSRF header); the citizens'
app is a reference client of the mobile API and uses a device token like the phone app. No CDN, no
tile server: the ward map is drawn from the ward polygons served by `wards_geojson`.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.views import LoginView
from django.contrib.staticfiles import finders
from django.http import HttpRequest, HttpResponse, HttpResponseBase, HttpResponseForbidden, JsonResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import cache_control
from django.views.decorators.csrf import ensure_csrf_cookie
from django.views.decorators.http import require_POST

from realtime import access
from realtime.streams import KINDS
from routing.selectors import areas_by_name


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

    features = []
    for area in areas_by_name():
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


# --- the citizens' web app (/app/) -------------------------------------------------------------------

# Everything the app needs to open with no network: the shell the service worker keeps.
CITIZEN_SHELL_ASSETS = (
    "realtime/app.css", "realtime/citizen.css", "realtime/common.js", "realtime/wardmap.js", "realtime/detail.js",
    "realtime/outbox.js", "realtime/citizen.js", "realtime/favicon.svg", "realtime/icon-192.png", "realtime/icon-512.png",
)


def citizen_app(request: HttpRequest) -> HttpResponse:
    """The app's one page; it signs in by OTP and talks to /api/v1/ with the token it gets."""
    config = {"heartbeat": settings.REALTIME_HEARTBEAT_SECONDS, "ws": "/" + KINDS["report"].route}
    return render(request, "realtime/citizen.html", {"config": config})


def citizen_manifest(request: HttpRequest) -> HttpResponse:
    manifest = {
        "name": "Huế-S — Phản ánh hiện trường",
        "short_name": "Huế-S",
        "description": "Gửi và theo dõi phản ánh của người dân Huế / Report and follow street problems in Huế",
        "lang": "vi",
        "start_url": "/app/",
        "scope": "/app/",
        "id": "/app/",
        "display": "standalone",
        "background_color": "#f4f2f7",
        "theme_color": "#5b2a86",
        "icons": [
            {"src": static("realtime/icon-192.png"), "sizes": "192x192", "type": "image/png", "purpose": "any"},
            {"src": static("realtime/icon-512.png"), "sizes": "512x512", "type": "image/png", "purpose": "any maskable"},
            {"src": static("realtime/favicon.svg"), "sizes": "any", "type": "image/svg+xml"},
        ],
    }
    return HttpResponse(json.dumps(manifest, ensure_ascii=False), content_type="application/manifest+json")


def citizen_service_worker(request: HttpRequest) -> HttpResponse:
    """The service worker, served from /app/ so that it may control the app's pages.

    The shell list and a version (a digest of the shell's files) are written at its top: a new
    deployment changes the digest, so browsers install the new worker and drop the old cache.
    """
    urls = ["/app/", "/dashboard/wards.geojson", *(static(name) for name in CITIZEN_SHELL_ASSETS)]
    digest = hashlib.sha256()
    for name in (*CITIZEN_SHELL_ASSETS, "realtime/citizen-sw.js"):
        found = finders.find(name)
        if found:
            digest.update(Path(str(found)).read_bytes())
    template = finders.find("realtime/citizen-sw.js")
    body = Path(str(template)).read_text() if template else ""
    head = f"const VERSION = {json.dumps(digest.hexdigest()[:16])};\nconst SHELL = {json.dumps(urls)};\n"
    response = HttpResponse(head + body, content_type="text/javascript; charset=utf-8")
    response["Cache-Control"] = "no-cache"
    response["Service-Worker-Allowed"] = "/app/"
    return response
