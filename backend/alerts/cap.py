"""A warning as an OASIS CAP 1.2 message (urn:oasis:names:tc:emergency:cap:1.2).

The document for a warning is its latest issue: msgType Alert for the first, Update after each change,
Cancel once withdrawn, each referencing every earlier issue ("sender,identifier,sent" triples), as CAP
consumers expect to follow a chain. One `info` block per language written (vi-VN always, en-US when
the operator wrote English). The area carries the ward names (areaDesc), the drawn polygon or circle,
the wards' outlines simplified to about 20 m, and each ward's code as a geocode.

Element order follows the schema (tests validate every shape against the OASIS XSD).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import datetime
from typing import Any

from django.conf import settings
from django.utils import timezone

from backend.alerts.areas import cap_circle, cap_polygon, outer_rings
from backend.alerts.models import Alert, AlertRevision, Kind, MsgType
from routing.models import Agency
from routing.reach import is_circle
from routing.selectors import fallback_agency

NS = "urn:oasis:names:tc:emergency:cap:1.2"
CONTENT_TYPE = "application/cap+xml; charset=utf-8"

# CAP's categories for each kind of warning.
CAP_CATEGORY = {
    Kind.FLOOD: "Met",  # CAP files hydrological events (floods) under Met
    Kind.STORM: "Met",
    Kind.EPIDEMIC: "Health",
    Kind.TRAFFIC: "Transport",
    Kind.UTILITY_OUTAGE: "Infra",
    Kind.SECURITY: "Security",
    Kind.OTHER: "Other",
}
CITY_NAME = {"vi": "Toàn thành phố Huế", "en": "All of Huế city"}


def cap_time(value: datetime) -> str:
    """CAP's dateTime: local time with its offset, to the second, never "Z" (the schema's pattern)."""
    return timezone.localtime(value).replace(microsecond=0).isoformat()


def identifier(alert: Alert, version: int) -> str:
    # No spaces, commas, '<' or '&' (CAP 1.2, 3.2.1): the sender's domain, the warning, the issue.
    domain = settings.CAP_SENDER.partition("@")[2] or settings.CAP_SENDER
    return f"{domain}.alert.{alert.pk}.{version}"


def reference(alert: Alert, revision: AlertRevision) -> str:
    return f"{settings.CAP_SENDER},{identifier(alert, revision.version)},{cap_time(revision.sent_at)}"


def _sub(parent: ET.Element, tag: str, text: str | None = None) -> ET.Element:
    element = ET.SubElement(parent, f"{{{NS}}}{tag}")
    if text is not None:
        element.text = text
    return element


def _sender_agency() -> Agency | None:
    return fallback_agency()


def _area(info: ET.Element, alert: Alert, language: str) -> None:
    area = _sub(info, "area")
    wards = list(alert.wards.all())
    if alert.city_wide:
        _sub(area, "areaDesc", CITY_NAME[language])
    elif wards:
        _sub(area, "areaDesc", ", ".join(str(w) if language == "vi" else f"{w.name}" for w in wards))
    else:
        _sub(area, "areaDesc", "Khu vực được khoanh vùng" if language == "vi" else "The marked area")
    geometry: dict[str, Any] | None = alert.geometry
    if geometry is not None and not is_circle(geometry):
        for ring in geometry["coordinates"][:1]:
            _sub(area, "polygon", cap_polygon(ring))
    for ward in wards:
        for ring in outer_rings(ward.geometry):
            _sub(area, "polygon", cap_polygon(ring))
    if geometry is not None and is_circle(geometry):
        _sub(area, "circle", cap_circle(geometry))
    for ward in wards:
        code = _sub(area, "geocode")
        _sub(code, "valueName", "ward")
        _sub(code, "value", ward.code)


def _info(root: ET.Element, alert: Alert, language: str, *, web: str, sender: Agency | None) -> None:
    info = _sub(root, "info")
    _sub(info, "language", "vi-VN" if language == "vi" else "en-US")
    _sub(info, "category", CAP_CATEGORY[Kind(alert.kind)])
    vi_event, _, en_event = Kind(alert.kind).label.partition(" / ")
    _sub(info, "event", vi_event if language == "vi" else en_event)
    _sub(info, "urgency", alert.urgency)
    _sub(info, "severity", alert.severity)
    _sub(info, "certainty", alert.certainty)
    _sub(info, "effective", cap_time(alert.starts_at))
    _sub(info, "expires", cap_time(alert.expires_at))
    if sender is not None:
        _sub(info, "senderName", sender.name_vi if language == "vi" else sender.name_en)
    _sub(info, "headline", alert.title_vi if language == "vi" else alert.title_en)
    _sub(info, "description", alert.body_vi if language == "vi" else (alert.body_en or alert.body_vi))
    _sub(info, "web", web)
    if sender is not None and sender.phone:
        _sub(info, "contact", sender.phone)
    _area(info, alert, language)


def cap_document(alert: Alert, *, web: str) -> bytes:
    """The CAP 1.2 XML of the warning's latest issue (revisions must be prefetched or are queried)."""
    revisions = list(alert.revisions.all())
    latest = revisions[-1]
    root = ET.Element(f"{{{NS}}}alert")
    _sub(root, "identifier", identifier(alert, latest.version))
    _sub(root, "sender", settings.CAP_SENDER)
    _sub(root, "sent", cap_time(latest.sent_at))
    _sub(root, "status", "Actual")
    _sub(root, "msgType", latest.msg_type)
    _sub(root, "scope", "Public")
    if latest.msg_type == MsgType.CANCEL and alert.cancel_reason:
        _sub(root, "note", alert.cancel_reason)
    earlier = revisions[:-1]
    if earlier:
        _sub(root, "references", " ".join(reference(alert, r) for r in earlier))
    sender = _sender_agency()
    languages = ["vi", "en"] if alert.title_en else ["vi"]
    for language in languages:
        _info(root, alert, language, web=web, sender=sender)
    ET.register_namespace("", NS)
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="utf-8", xml_declaration=False)
