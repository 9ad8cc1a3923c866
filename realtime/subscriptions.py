"""Narrowing a stream to what one client asked for: `{"type": "subscribe", ...}` on its socket.

A stream kind with a `Narrowing` (realtime/streams.py) lets each socket say what it wants to hear of;
the consumer keeps the answer of `parse` per socket and asks `wants` of every event, live or replayed,
before sending it. Until a socket subscribes it hears the whole stream.

Today one kind narrows: the city's warnings (/ws/alerts/), by ward or by position. Whether a warning
reaches a place is `routing.reach.area_reaches`, the rule the REST point query uses too.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from routing import runtime as routing
from routing.reach import area_reaches
from routing.types import Point

MAX_WARDS = 200


class SubscribeRefused(ValueError):
    """The subscribe message is malformed or names what does not exist; `code` goes to the client."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class Narrowing:
    # The client's subscribe message -> what it listens for. Runs in a worker thread (may read the
    # database); raises SubscribeRefused.
    parse: Callable[[Mapping[str, Any]], Any]
    # Whether an event (the message as rendered for the stream) reaches that listener.
    wants: Callable[[Any, Mapping[str, Any]], bool]
    # What the client is told it is now listening for (the `subscribed` message's data).
    describe: Callable[[Any], dict[str, Any]]


# --- warnings by ward or position -----------------------------------------------------------------


@dataclass(frozen=True)
class Place:
    """Where a warning listener is: some wards, or one position (and the ward it lies in, if any)."""

    wards: frozenset[str]
    point: Point | None = None


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        return None
    return float(value)


def parse_place(message: Mapping[str, Any]) -> Place:
    """`{"wards": [codes]}` or `{"position": {"lat": .., "lng": ..}}`, exactly one of them."""
    has_wards, has_position = "wards" in message, "position" in message
    if has_wards == has_position:
        raise SubscribeRefused("bad_subscribe", "give either wards (a list of ward codes) or position {lat, lng}")
    if has_wards:
        wards = message["wards"]
        if not isinstance(wards, list) or len(wards) > MAX_WARDS or not all(isinstance(w, str) for w in wards):
            raise SubscribeRefused("bad_subscribe", f"wards is a list of at most {MAX_WARDS} ward codes")
        known = routing.tables().areas
        unknown = sorted({w for w in wards if w not in known})
        if unknown:
            raise SubscribeRefused("unknown_wards", "unknown ward codes: " + ", ".join(unknown[:20]))
        return Place(frozenset(wards))
    position = message["position"]
    lat = _number(position.get("lat")) if isinstance(position, dict) else None
    lng = _number(position.get("lng")) if isinstance(position, dict) else None
    if lat is None or lng is None or not (-90 <= lat <= 90 and -180 <= lng <= 180):
        raise SubscribeRefused("bad_subscribe", "position is {\"lat\": degrees, \"lng\": degrees}")
    ward = routing.locate(lat, lng)
    return Place(frozenset({ward}) if ward else frozenset(), Point(lat, lng))


def _reaches(area: Any, place: Place) -> bool:
    if not isinstance(area, Mapping):
        return False
    return area_reaches(
        city_wide=bool(area.get("city_wide")), ward_codes=area.get("ward_codes") or (),
        drawn=area.get("geometry"), wards=place.wards, point=place.point,
    )


def warning_wanted(place: Place, message: Mapping[str, Any]) -> bool:
    """A warning event reaches the place through its area, or its area before this change (so a client
    whose ward a warning just left hears of it once, and drops it)."""
    data = message.get("data")
    if not isinstance(data, Mapping):
        return False
    return _reaches(data.get("area"), place) or _reaches(data.get("area_before"), place)


def describe_place(place: Place) -> dict[str, Any]:
    return {
        "wards": sorted(place.wards),
        "position": {"lat": place.point.lat, "lng": place.point.lon} if place.point else None,
    }


WARNINGS_BY_PLACE = Narrowing(parse=parse_place, wants=warning_wanted, describe=describe_place)
