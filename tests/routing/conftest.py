"""Fixtures for the pure routing core: real Huế data read from the shared data folder (never copied)."""

from __future__ import annotations

from pathlib import Path

import pytest

from routing.geo import WardIndex
from routing.old_wards import OldWardDirectory
from tests.conftest import SHARED_DATA

SHARED_DATA_DIR = SHARED_DATA.resolve()
WARDS_GEOJSON = SHARED_DATA_DIR / "geo" / "hue_wards_communes_2025.geojson"
OLD_WARDS_CSV = SHARED_DATA_DIR / "geo" / "vietmap_hue_old_to_new_ward_mapping_2025.csv"


def _shared(path: Path) -> Path:
    assert path.is_file(), f"shared data missing: {path} (set SHARED_DATA_DIR to the shared data folder)"
    return path


@pytest.fixture(scope="session")
def hue_wards() -> WardIndex:
    return WardIndex.from_geojson(_shared(WARDS_GEOJSON))


@pytest.fixture(scope="session")
def old_wards() -> OldWardDirectory:
    return OldWardDirectory.from_csv(_shared(OLD_WARDS_CSV))
