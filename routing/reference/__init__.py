"""Reference data shipped with the product: the taxonomy, Huế's agencies and its 40 wards."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

REFERENCE_DIR = Path(__file__).resolve().parent


def load(name: str) -> Any:
    return json.loads((REFERENCE_DIR / f"{name}.json").read_text(encoding="utf-8"))
