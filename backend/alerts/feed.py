"""The active warnings as an Atom feed, the way warning aggregators poll a CAP source.

Each entry is one warning at its latest issue; its `alternate` link of type application/cap+xml is the
CAP document (backend/alerts/cap.py), its plain link the public page. Vietnamese by default, English
with `?lang=en` (the Vietnamese text stands in where no English was written).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed

from backend.alerts.models import Alert, Kind, Severity

CONTENT_TYPE = "application/atom+xml; charset=utf-8"
TITLE = {"vi": "Cảnh báo của thành phố Huế", "en": "Huế city warnings"}


class CapAtomFeed(Atom1Feed):
    def add_item_elements(self, handler: Any, item: dict[str, Any]) -> None:
        super().add_item_elements(handler, item)
        handler.addQuickElement("link", "", {"rel": "alternate", "type": "application/cap+xml", "href": item["cap_url"]})


def _label(choice: str, language: str) -> str:
    vi, _, en = choice.partition(" / ")
    return vi if language == "vi" else en


def atom_feed(alerts: list[Alert], *, language: str, page_url: str, feed_url: str, cap_url: Any, now: datetime) -> bytes:
    """`cap_url(alert)` gives each entry's absolute CAP address."""
    updated = max((a.issued_at for a in alerts), default=now)
    feed = CapAtomFeed(
        title=TITLE[language], link=page_url, description=TITLE[language], feed_url=feed_url,
        language="vi" if language == "vi" else "en", feed_guid=feed_url, updated=timezone.localtime(updated),
    )
    for alert in alerts:
        title = alert.title_vi if language == "vi" else (alert.title_en or alert.title_vi)
        body = alert.body_vi if language == "vi" else (alert.body_en or alert.body_vi)
        severity = _label(Severity(alert.severity).label, language)
        feed.add_item(
            title=f"[{severity}] {title}",
            link=f"{page_url}#alert-{alert.pk}",
            description=body,
            unique_id=f"{feed_url.split('?')[0]}#{alert.pk}",
            unique_id_is_permalink=False,
            pubdate=timezone.localtime(alert.created_at),
            updateddate=timezone.localtime(alert.issued_at),
            categories=[_label(Kind(alert.kind).label, language), alert.severity],
            cap_url=cap_url(alert),
        )
    return feed.writeString("utf-8").encode("utf-8")
