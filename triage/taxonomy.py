"""The stable category and urgency codes (API values) shared with the rest of the backend."""

from __future__ import annotations

from typing import Final

CATEGORIES: Final[tuple[str, ...]] = (
    "environment",
    "road_damage",
    "traffic",
    "street_lighting",
    "drainage_flooding",
    "urban_order",
    "trees_parks",
    "water_supply",
    "power_supply",
    "public_security",
    "noise",
    "health_epidemic",
    "misinformation",
    "public_services",
    "other",
)

# Ordered from least to most urgent: rules compare positions in this tuple, so a rule can only
# move a report to the right.
URGENCIES: Final[tuple[str, ...]] = ("low", "normal", "high", "critical")

FALLBACK_CATEGORY: Final = "other"
FALLBACK_URGENCY: Final = "normal"

_URGENCY_RANK: Final[dict[str, int]] = {name: rank for rank, name in enumerate(URGENCIES)}


def urgency_rank(urgency: str) -> int:
    """Position of an urgency on the low..critical scale; unknown codes are a programming error."""
    try:
        return _URGENCY_RANK[urgency]
    except KeyError:
        raise ValueError(f"unknown urgency {urgency!r}; expected one of {', '.join(URGENCIES)}") from None


def max_urgency(first: str, second: str) -> str:
    """The more urgent of two urgencies."""
    return first if urgency_rank(first) >= urgency_rank(second) else second
