"""Points in time typed into query strings: ISO 8601 datetimes, or dates meaning a whole day."""

from __future__ import annotations

import pytest

from backend.core.instants import parse_instant


def test_instants_parse_dates_datetimes_and_offsets():
    assert parse_instant("2026-11-30").isoformat() == "2026-11-30T00:00:00+07:00"
    assert parse_instant("2026-11-30", end_of_day=True).isoformat() == "2026-11-30T23:59:59.999999+07:00"
    assert parse_instant("2026-11-30T08:00:00Z").isoformat() == "2026-11-30T08:00:00+00:00"
    assert parse_instant("2026-11-30T08:00:00").isoformat() == "2026-11-30T08:00:00+07:00"
    # "+07:00" sent unencoded in a query string arrives as " 07:00"
    assert parse_instant("2026-11-30T08:00:00 07:00").isoformat() == "2026-11-30T08:00:00+07:00"
    for bad in ["yesterday", "2026-13-01", "0001-01-01", "30/11/2026", ""]:
        with pytest.raises(ValueError):
            parse_instant(bad)
