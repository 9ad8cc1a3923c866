"""Photo files are served only to those who may see the report, through short-lived signed URLs.

A photo's URL used to be its stored name: whoever once saw it (a public map, a forwarded link) kept
it for ever, also after the report was rejected or found to be about a sick neighbour. Now every
photo URL in an API answer is `/api/v1/photos/{id}/{image|thumbnail}/?a=&e=&s=`:
- `a` is the audience the answer was made for: `public` (public API, Open311) or `private` (the
  reporter, operators, the agency: whoever the API already decided may see the report);
- `e` is when the URL stops working (1-2 x PHOTO_URL_TTL_SECONDS from issue: aligned to a window, so
  the same photo keeps the same URL for a while and browsers can cache it);
- `s` signs id, variant, audience and expiry with the secret key.
A public URL is checked again at every request against the publication rule (publication.py): once
the report is rejected, restricted or marked sensitive it answers 404 at once. Every failure answers
the same 404, so nothing can be learnt by probing.

The bytes come from storage through Django in the embedded default; behind the production proxy the
answer is an X-Accel-Redirect to the proxy's internal location for the bucket (PHOTO_ACCEL_REDIRECT),
so the proxy streams the file and the bucket is reachable only that way.
"""

from __future__ import annotations

import hmac
import time
from urllib.parse import quote

from django.conf import settings
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.utils.crypto import salted_hmac
from django.views.decorators.http import require_GET

from backend.reports.models import Photo
from backend.reports.publication import is_published

AUDIENCES = ("public", "private")
VARIANTS = ("image", "thumbnail")


def _signature(photo_id: int, variant: str, audience: str, expires: int) -> str:
    value = f"{photo_id}:{variant}:{audience}:{expires}"
    return salted_hmac("backend.reports.photo_access", value, algorithm="sha256").hexdigest()[:32]


def _expiry(now: float) -> int:
    ttl = max(60, settings.PHOTO_URL_TTL_SECONDS)
    return (int(now // ttl) + 2) * ttl


def photo_url(photo: Photo, variant: str, audience: str, *, now: float | None = None) -> str:
    assert variant in VARIANTS and audience in AUDIENCES
    expires = _expiry(time.time() if now is None else now)
    signature = _signature(photo.pk, variant, audience, expires)
    path = f"/api/v1/photos/{photo.pk}/{variant}/?a={audience}&e={expires}&s={signature}"
    return settings.PUBLIC_BASE_URL.rstrip("/") + path


def _checked(request: HttpRequest, photo_id: int, variant: str) -> Photo:
    audience = request.GET.get("a", "")
    signature = request.GET.get("s", "")
    try:
        expires = int(request.GET.get("e", ""))
    except ValueError:
        raise Http404 from None
    if variant not in VARIANTS or audience not in AUDIENCES or expires < time.time():
        raise Http404
    if not hmac.compare_digest(signature, _signature(photo_id, variant, audience, expires)):
        raise Http404
    photo = Photo.objects.filter(pk=photo_id).only("id", "report_id", "image", "thumbnail", "content_type").first()
    if photo is None:
        raise Http404
    if audience == "public" and not is_published(photo.report_id):
        raise Http404
    return photo


@require_GET
def photo_file(request: HttpRequest, photo_id: int, variant: str) -> HttpResponseBase:
    photo = _checked(request, photo_id, variant)
    name = (photo.image if variant == "image" else photo.thumbnail).name or ""
    prefix = settings.PHOTO_ACCEL_REDIRECT
    if prefix:
        response: HttpResponseBase = HttpResponse(content_type=photo.content_type)
        response["X-Accel-Redirect"] = prefix.rstrip("/") + "/" + quote(name)
    else:
        try:
            response = FileResponse(default_storage.open(name, "rb"), content_type=photo.content_type)
        except FileNotFoundError:
            raise Http404 from None
    # Browsers may keep it while the URL is valid; shared caches never (a private URL is per viewer).
    response["Cache-Control"] = f"private, max-age={max(60, settings.PHOTO_URL_TTL_SECONDS)}"
    return response
